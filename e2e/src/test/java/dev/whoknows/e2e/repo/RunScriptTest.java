package dev.whoknows.e2e.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * ./run.sh as a new user meets it: --help, a port that is already taken (often the team's own backend
 * on 5050), the banner only once both services answer, SIGTERM stopping both, a crashed service
 * stopping the script. Uses the jars the reactor built (package runs before these tests).
 */
class RunScriptTest {
    private static final Path ROOT = repositoryRoot();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A running ./run.sh and everything it printed so far. */
    private record Run(Process process, List<String> lines) {
        String output() {
            return String.join("\n", lines);
        }

        boolean waitForLine(String text, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (lines.stream().anyMatch(l -> l.contains(text))) {
                    return true;
                }
                if (!process.isAlive()) {
                    Thread.sleep(200); // the reader thread may still be catching up
                    return lines.stream().anyMatch(l -> l.contains(text));
                }
                Thread.sleep(100);
            }
            return false;
        }

        int exit(Duration timeout) throws InterruptedException {
            assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                    .as("run.sh exits; it printed:\n%s", output())
                    .isTrue();
            Thread.sleep(200);
            return process.exitValue();
        }

        void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static Run start(Map<String, String> env, String... args) throws IOException {
        List<String> command =
                new java.util.ArrayList<>(List.of("bash", ROOT.resolve("run.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment()
                .keySet()
                .removeIf(k -> k.startsWith("STUB_")
                        || k.startsWith("BACKEND_")
                        || k.startsWith("FRONTEND_")
                        || k.equals("STATIC_DIR")
                        || k.equals("LOG_LEVEL"));
        builder.environment().putAll(env);
        Process process = builder.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        lines.add("(reading run.sh's output failed: " + e + ")");
                    }
                },
                "run.sh-output");
        reader.setDaemon(true);
        reader.start();
        return new Run(process, lines);
    }

    private static Map<String, String> ports(int backend, int frontend) {
        return Map.of(
                "BACKEND_INTERNAL_PORT", String.valueOf(backend), "FRONTEND_INTERNAL_PORT", String.valueOf(frontend));
    }

    @Test
    void helpExplainsTheScriptAndItsVariables() throws Exception {
        Run run = start(Map.of(), "--help");
        assertThat(run.exit(Duration.ofSeconds(10))).isZero();
        assertThat(run.output())
                .startsWith("Usage: ./run.sh")
                .contains("BACKEND_INTERNAL_PORT")
                .contains("FRONTEND_INTERNAL_PORT")
                .contains("BACKEND_URL")
                .contains("SIGTERM");

        Run wrong = start(Map.of(), "--frobnicate");
        assertThat(wrong.exit(Duration.ofSeconds(10))).isEqualTo(2);
        assertThat(wrong.output()).contains("unknown argument '--frobnicate'").contains("--help");
    }

    @Test
    void aTakenBackendPortStopsTheScriptWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(9711, 50, InetAddress.getLoopbackAddress())) {
            Run run = start(ports(9711, 9712));
            assertThat(run.exit(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(run.output())
                    .contains("port 9711 is already in use")
                    .contains("BACKEND_INTERNAL_PORT")
                    .doesNotContain("is running");
        }
        assertThat(listening(9712)).as("no frontend was started").isFalse();
    }

    @Test
    void aTakenFrontendPortStopsTheScriptWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(9714, 50, InetAddress.getLoopbackAddress())) {
            Run run = start(ports(9713, 9714));
            assertThat(run.exit(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(run.output())
                    .contains("port 9714 is already in use")
                    .contains("FRONTEND_INTERNAL_PORT")
                    .doesNotContain("is running");
        }
        assertThat(listening(9713)).as("no stub was left running").isFalse();
    }

    @Test
    void theBannerComesOnceBothAnswerAndSigtermStopsBoth() throws Exception {
        assumeBuilt();
        Run run = start(ports(9715, 9716));
        try {
            assertThat(run.waitForLine("WhoKnows is running", Duration.ofSeconds(90)))
                    .as("banner; run.sh printed:\n%s", run.output())
                    .isTrue();
            assertThat(run.output()).contains("http://localhost:9716");
            assertThat(health(9715)).isEqualTo(200);
            assertThat(health(9716)).isEqualTo(200);

            run.process().toHandle().destroy(); // SIGTERM to run.sh alone, as `kill <pid>` does
            assertThat(run.exit(Duration.ofSeconds(30))).isZero();
            assertThat(listening(9715)).as("the stub stopped").isFalse();
            assertThat(listening(9716)).as("the frontend stopped").isFalse();
        } finally {
            run.kill();
        }
    }

    @Test
    void aServiceThatDiesStopsTheOtherAndTheScript() throws Exception {
        assumeBuilt();
        Run run = start(ports(9717, 9718));
        try {
            assertThat(run.waitForLine("WhoKnows is running", Duration.ofSeconds(90)))
                    .as("banner; run.sh printed:\n%s", run.output())
                    .isTrue();
            ProcessHandle stub = run.process()
                    .children()
                    .filter(p -> p.info()
                            .arguments()
                            .map(a -> String.join(" ", a).contains("backend-stub"))
                            .orElse(false))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no stub process under run.sh"));
            stub.destroyForcibly();

            assertThat(run.exit(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(run.output()).contains("the stub backend stopped");
            assertThat(listening(9718)).as("the frontend was stopped too").isFalse();
        } finally {
            run.kill();
        }
    }

    private static int health(int port) throws Exception {
        HttpResponse<Void> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        return response.statusCode();
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** run.sh would build stale jars itself (a Maven run inside this Maven run): the reactor must have built them. */
    private static void assumeBuilt() {
        Optional<String> stale = staleJar("frontend", "frontend-1.0.0-SNAPSHOT.jar")
                .or(() -> staleJar("backend-stub", "backend-stub-1.0.0-SNAPSHOT.jar"));
        stale.ifPresent(reason -> {
            System.err.println("RunScriptTest: skipped: " + reason + " (run ./mvnw verify, which packages them first)");
            Assumptions.abort(reason);
        });
    }

    private static Optional<String> staleJar(String module, String jarName) {
        Path jar = ROOT.resolve(module).resolve("target").resolve(jarName);
        if (!Files.isRegularFile(jar)) {
            return Optional.of(jar + " is not built");
        }
        try (Stream<Path> sources = Files.walk(ROOT.resolve(module).resolve("src/main"))) {
            FileTime built = Files.getLastModifiedTime(ROOT.resolve("frontend/target/frontend-1.0.0-SNAPSHOT.jar"));
            return sources.filter(Files::isRegularFile)
                    .filter(p -> {
                        try {
                            return Files.getLastModifiedTime(p).compareTo(built) > 0;
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .findFirst()
                    .map(p -> jar + " is older than " + p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path repositoryRoot() {
        Path dir = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("run.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run.sh not found above " + System.getProperty("basedir"));
        }
        return dir;
    }
}
