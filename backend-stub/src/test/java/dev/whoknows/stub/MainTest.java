package dev.whoknows.stub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real entry point, as a separate process: config errors exit 2; SIGTERM stops it cleanly. */
class MainTest {

    private static Process start(Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName());
        builder.environment()
                .keySet()
                .removeIf(k -> k.startsWith("STUB_")
                        || k.equals("BACKEND_INTERNAL_PORT")
                        || k.equals("LOG_LEVEL")
                        || k.equals("BUILD_VERSION"));
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        return builder.start();
    }

    private static String finish(Process process) throws Exception {
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("process exits").isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void badPortPrintsOneConfigErrorLineAndExits2() throws Exception {
        Process process = start(Map.of("BACKEND_INTERNAL_PORT", "http"));
        String output = finish(process);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output.strip())
                .isEqualTo("config error: BACKEND_INTERNAL_PORT: must be a whole number from 0 to 65535 (got 'http')");
    }

    @Test
    void invalidPagesFileExits2NamingTheVariable(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("pages.json"), "[{]");
        Process process = start(Map.of("STUB_PAGES_FILE", file.toString()));
        String output = finish(process);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output)
                .startsWith("config error: STUB_PAGES_FILE: not valid JSON at line 1")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    @Test
    void portInUseIsAClearStartError() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            Process process = start(Map.of("BACKEND_INTERNAL_PORT", String.valueOf(taken.getLocalPort())));
            String output = finish(process);
            assertThat(process.exitValue()).isEqualTo(1);
            assertThat(output).contains("start error: port " + taken.getLocalPort() + " is already in use");
        }
    }

    @Test
    void servesAndStopsOnSigterm() throws Exception {
        Process process = start(Map.of("BACKEND_INTERNAL_PORT", "0", "BUILD_VERSION", "t-1", "LOG_LEVEL", "info"));
        try {
            int port = -1;
            StringBuilder seen = new StringBuilder();
            var reader = new java.io.BufferedReader(
                    new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (port < 0 && System.nanoTime() < deadline) {
                String line = reader.readLine();
                if (line == null) {
                    break;
                }
                seen.append(line).append('\n');
                var m = java.util.regex.Pattern.compile("listening on port (\\d+)")
                        .matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            assertThat(port).as("port in the log:\n%s", seen).isPositive();
            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/health"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\",\"service\":\"backend-stub\",\"version\":\"t-1\"}");
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(20, TimeUnit.SECONDS))
                    .as("exits after SIGTERM")
                    .isTrue();
            assertThat(process.exitValue()).isIn(0, 143);
        } finally {
            process.destroyForcibly();
        }
    }

    // ---- the start line ----

    private static java.util.List<String> startLines(Map<String, String> env) throws Exception {
        Process process = start(env);
        java.util.List<String> lines = new java.util.ArrayList<>();
        try (java.io.BufferedReader reader = new java.io.BufferedReader(
                new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (String line = reader.readLine();
                    line != null && System.nanoTime() < deadline;
                    line = reader.readLine()) {
                lines.add(line);
                if (line.contains("listening on port")) {
                    Thread.sleep(300); // anything logged right after the start
                    break;
                }
            }
            process.toHandle().destroy(); // SIGTERM, streams left open: read on to the end of the output
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        return lines.stream()
                .filter(l -> !l.contains("Stopped") && !l.contains("stopped"))
                .toList();
    }

    @Test
    void theStubLogsOneStartLineOfItsOwnAndNoneOfJettys() throws Exception {
        java.util.List<String> lines = startLines(Map.of("BACKEND_INTERNAL_PORT", "0", "BUILD_VERSION", "t-9"));
        assertThat(lines).as("everything logged at start").hasSize(1);
        assertThat(lines.get(0))
                .contains("INFO")
                .containsPattern(
                        "backend-stub t-9 listening on port \\d+ with \\d+ pages \\(\\d+ en, \\d+ da\\) from the bundled fixture");
        assertThat(String.join("\n", lines)).doesNotContain("jetty").doesNotContain("Javalin");
    }

    @Test
    void faultsOnAddsAWarning() throws Exception {
        java.util.List<String> lines = startLines(Map.of("BACKEND_INTERNAL_PORT", "0", "STUB_FAULTS", "on"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("WARN").contains("STUB_FAULTS=on").contains("X-Stub-Status");
    }
}
