package dev.whoknows.frontend.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.frontend.BackendStubs;
import dev.whoknows.frontend.Main;
import dev.whoknows.frontend.TestFrontend;
import dev.whoknows.frontend.testing.ContractCheckedWireMock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real Main in a child JVM: its log output, and its exit on SIGTERM. */
class RequestLogTest {

    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");

    @RegisterExtension
    static final ContractCheckedWireMock backend = ContractCheckedWireMock.backend(BackendStubs::install);

    @Test
    void oneLinePerRequestWithoutQueriesCookiesOrBodiesAndACleanStopOnSigterm(@TempDir Path temp) throws Exception {
        Path staticDir = TestFrontend.writeStaticFixture(temp.resolve("static"));
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName()))
                .redirectErrorStream(true)
                .directory(temp.toFile());
        builder.environment().put("FRONTEND_INTERNAL_PORT", "0");
        builder.environment().put("STATIC_DIR", staticDir.toString());
        builder.environment().put("BACKEND_URL", backend.baseUrl());
        builder.environment().put("LOG_LEVEL", "info");
        Process process = builder.start();
        StringBuffer log = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    log.append(line).append('\n');
                }
            } catch (Exception ignored) {
                // process ended
            }
        });
        reader.start();
        String ambiguous;
        String twoHosts;
        String badPort;
        try {
            int port = waitForPort(log);
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> login = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/login"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("Cookie", "session=cookie-secret")
                            .header("X-Request-Id", "log-test-1")
                            .POST(HttpRequest.BodyPublishers.ofString("username=demo&password=demo1234"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.headers().allValues("Set-Cookie"))
                    .as("the answer the log must not show")
                    .contains(BackendStubs.SESSION_COOKIE);
            http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/search?q=private+words"))
                            .header("X-Request-Id", "log-test-2")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            // requests Jetty refuses itself, before any handler: each still gets its line
            ambiguous = rawRequestId(
                    port,
                    "GET /api/search/..;/x?token=query-secret HTTP/1.1\r\nHost: localhost\r\n"
                            + "X-Request-Id: log-test-3\r\nConnection: close\r\n\r\n");
            assertThat(ambiguous)
                    .as("the client's id is kept when Jetty has read the headers")
                    .isEqualTo(Pattern.quote("log-test-3"));
            // Jetty stops reading these before the X-Request-Id header, so the frontend makes one
            twoHosts = rawRequestId(
                    port,
                    "GET /api/search?q=a HTTP/1.1\r\nHost: a\r\nHost: b\r\nX-Request-Id: log-test-4\r\n"
                            + "Connection: close\r\n\r\n");
            badPort = rawRequestId(
                    port,
                    "GET /api/search?q=a HTTP/1.1\r\nHost: localhost:99999\r\nX-Request-Id: log-test-5\r\n"
                            + "Connection: close\r\n\r\n");
            Thread.sleep(200); // the access log is written in batches every 20 ms

            process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
            assertThat(process.waitFor(20, TimeUnit.SECONDS))
                    .as("exits after SIGTERM")
                    .isTrue();
            reader.join(5_000);
        } finally {
            process.destroyForcibly();
        }
        String output = log.toString();
        assertThat(output)
                .containsPattern("POST /api/login 200 \\d+ms rid=log-test-1")
                .containsPattern("GET /search 200 \\d+ms rid=log-test-2")
                .containsPattern("GET /api/search/\\.\\.;/x 400 \\d+ms rid=" + ambiguous)
                .containsPattern("GET /api/search 400 \\d+ms rid=" + twoHosts)
                .containsPattern("GET /api/search 400 \\d+ms rid=" + badPort)
                .contains("stopping: no new connections")
                .contains("stopped");
        assertThat(output)
                .doesNotContain("query-secret")
                .doesNotContain("demo1234")
                .doesNotContain("cookie-secret")
                .doesNotContain("private")
                .doesNotContain("3q2-7w");
        assertThat(output)
                .as("client mistakes are request log lines, not Jetty warnings")
                .doesNotContain("WARN org.eclipse.jetty");
    }

    /** Sends bytes as given (java.net.http refuses these requests), checks the 400, returns its X-Request-Id. */
    private static String rawRequestId(int port, String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).as(request).startsWith("HTTP/1.1 400 ");
            Matcher id = Pattern.compile("(?i)\r\nX-Request-Id: ([^\r]+)\r\n").matcher(answer);
            assertThat(id.find()).as(answer).isTrue();
            return Pattern.quote(id.group(1));
        }
    }

    private static int waitForPort(StringBuffer log) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher matcher = LISTENING.matcher(log);
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the frontend did not start:\n" + log);
    }
}
