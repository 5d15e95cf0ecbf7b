package dev.whoknows.frontend.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients that stall (slowloris): hundreds of connections that never finish their headers, and
 * uploads that stop part-way through a proxied body, must not keep other users from pages, assets
 * and the API.
 */
@Timeout(60)
class SlowClientsTest {

    private static final int STALLED_HEADERS = 300;
    private static final int STALLED_UPLOADS = 40;
    private static final Duration PROMPT = Duration.ofSeconds(1);
    private static final int READ_TIMEOUT_MS = 2_500;

    @Test
    void stalledClientsDoNotKeepOthersWaiting() throws Exception {
        byte[] ok = "{\"statusCode\":200,\"message\":\"You were logged in\"}".getBytes(StandardCharsets.UTF_8);
        try (RawBackend backend = RawBackend.start(RawBackend.respond(200, "application/json", ok, 0))) {
            Javalin frontend = Harness.startFrontend(backend.url());
            List<Socket> stalled = new ArrayList<>();
            try {
                int port = frontend.port();
                for (int i = 0; i < STALLED_HEADERS; i++) {
                    stalled.add(open(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "));
                }
                for (int i = 0; i < STALLED_UPLOADS; i++) {
                    stalled.add(
                            open(
                                    port,
                                    "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nusername=de"));
                }
                Thread.sleep(300); // let the frontend take them all

                HttpClient client = Harness.client();
                for (String path :
                        List.of("/", "/static/css/style.css", "/api/health", "/login", "/api/search?q=java")) {
                    long start = System.nanoTime();
                    HttpResponse<String> response = Harness.get(client, port, path, Duration.ofSeconds(5));
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    assertThat(response.statusCode())
                            .as("%s with %d stalled clients", path, stalled.size())
                            .isEqualTo(200);
                    assertThat(took)
                            .as("%s with %d stalled clients", path, stalled.size())
                            .isLessThanOrEqualTo(PROMPT);
                }
                assertThat(stalled)
                        .as("the stalled connections are still open (they were really held)")
                        .allSatisfy(socket -> assertThat(socket.isClosed()).isFalse());
            } finally {
                for (Socket socket : stalled) {
                    socket.close();
                }
                frontend.stop();
            }
        }
    }

    private static Socket open(int port, String partialRequest) throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        OutputStream out = socket.getOutputStream();
        out.write(partialRequest.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return socket;
    }

    @Test
    void aStalledUploadGivesUpItsBackendSlotAfterTheReadTimeout() throws Exception {
        int cap = 5;
        byte[] ok = "{\"data\":[]}".getBytes(StandardCharsets.UTF_8);
        try (RawBackend backend = RawBackend.start(RawBackend.respond(200, "application/json", ok, 0))) {
            Javalin frontend = Harness.startFrontend(
                    backend.url(),
                    java.util.Map.of(
                            "FRONTEND_MAX_PROXY_REQUESTS",
                            String.valueOf(cap),
                            "BACKEND_READ_TIMEOUT_MS",
                            String.valueOf(READ_TIMEOUT_MS)));
            List<Socket> uploads = new ArrayList<>();
            try {
                int port = frontend.port();
                HttpClient client = Harness.client();
                assertThat(Harness.get(client, port, "/", Duration.ofSeconds(5)).statusCode())
                        .isEqualTo(200); // warm up
                for (int i = 0; i < cap; i++) {
                    uploads.add(
                            open(
                                    port,
                                    "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nusername=de"));
                }
                assertThat(Harness.await(() -> proxyInFlight(client, port) == cap, Duration.ofSeconds(3)))
                        .as("every stalled upload is being forwarded (frontend_proxy_in_flight)")
                        .isTrue();
                assertThat(status(client, port))
                        .as("stalled uploads hold every backend slot")
                        .isEqualTo(503);

                long start = System.nanoTime();
                for (Socket upload : uploads) {
                    upload.setSoTimeout(READ_TIMEOUT_MS + 5_000);
                    String answer = new String(upload.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
                    assertThat(answer).as("the stalled upload is answered").matches("HTTP/1\\.1 4\\d\\d");
                }
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .as("a stalled upload is dropped at the read timeout")
                        .isLessThanOrEqualTo(Duration.ofMillis(READ_TIMEOUT_MS + 2_000L));
                assertThat(status(client, port)).as("the slots are free again").isEqualTo(200);
            } finally {
                for (Socket socket : uploads) {
                    socket.close();
                }
                frontend.stop();
            }
        }
    }

    private static int proxyInFlight(HttpClient client, int port) {
        try {
            String metrics = Harness.get(client, port, "/api/metrics", Duration.ofSeconds(5))
                    .body();
            return metrics.lines()
                    .filter(line -> line.startsWith("frontend_proxy_in_flight "))
                    .map(line -> (int) Double.parseDouble(
                            line.substring(line.indexOf(' ') + 1).trim()))
                    .findFirst()
                    .orElse(-1);
        } catch (Exception e) {
            return -1;
        }
    }

    private static int status(HttpClient client, int port) {
        try {
            return Harness.get(client, port, "/api/search?q=java", Duration.ofSeconds(5))
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
