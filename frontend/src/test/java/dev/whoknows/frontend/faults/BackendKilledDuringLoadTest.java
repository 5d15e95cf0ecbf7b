package dev.whoknows.frontend.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend process is killed (SIGKILL) while proxied and static requests are running: only the
 * proxied requests in flight at that moment fail, as 502/503 JSON; nothing hangs past the configured
 * timeouts; static requests never notice.
 */
@Timeout(60)
class BackendKilledDuringLoadTest {

    private static final long BACKEND_DELAY_MS = 600;
    private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(Harness.CALL_TIMEOUT_MS + 5_000L);

    record Result(String path, long startNanos, long endNanos, int status, String error) {
        long millis() {
            return TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos);
        }
    }

    @Test
    void onlyInFlightProxiedRequestsFailWhenTheBackendDies(@TempDir Path dir) throws Exception {
        int backendPort = Harness.freePort();
        Path log = dir.resolve("backend.log");
        Process backend = Harness.startJava(
                RawBackend.class.getName(),
                Map.of(),
                List.of(String.valueOf(backendPort), String.valueOf(BACKEND_DELAY_MS)),
                log);
        Javalin frontend = null;
        try {
            assertThat(Harness.await(() -> read(log).contains("READY"), Duration.ofSeconds(15)))
                    .as("backend process started: %s", Harness.tail(log))
                    .isTrue();
            frontend = Harness.startFrontend("http://127.0.0.1:" + backendPort);
            int port = frontend.port();
            HttpClient client = Harness.client();
            assertThat(Harness.get(client, port, "/api/search?q=warmup", CLIENT_TIMEOUT)
                            .statusCode())
                    .isEqualTo(200);

            List<Result> results = new CopyOnWriteArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> load = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String path = i < 6 ? "/api/search?q=load" + i : (i % 2 == 0 ? "/static/css/style.css" : "/");
                Thread thread = new Thread(
                        () -> {
                            while (running.get()) {
                                results.add(call(client, port, path));
                                if (!path.startsWith("/api/")) {
                                    pause(20); // steady, not flooding: two cores are shared with the frontend
                                }
                            }
                        },
                        "load-" + i);
                thread.start();
                load.add(thread);
            }
            Thread.sleep(2 * BACKEND_DELAY_MS + 300);
            long killedAt = System.nanoTime();
            backend.destroyForcibly();
            assertThat(backend.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(1_500);
            running.set(false);
            for (Thread thread : load) {
                thread.join(CLIENT_TIMEOUT.toMillis() + 1_000);
                assertThat(thread.isAlive()).as("a load thread is stuck").isFalse();
            }

            assertThat(results)
                    .as("no client-side errors or timeouts")
                    .allSatisfy(r -> assertThat(r.error()).as(r.toString()).isNull());
            assertThat(results)
                    .as("nothing hangs past the configured timeouts")
                    .allSatisfy(r -> assertThat(r.millis())
                            .as(r.toString())
                            .isLessThanOrEqualTo(Harness.CALL_TIMEOUT_MS + 1_000L));
            List<Result> pages =
                    results.stream().filter(r -> !r.path().startsWith("/api/")).toList();
            assertThat(pages)
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
            assertThat(pages.stream().filter(r -> r.startNanos() > killedAt))
                    .as("pages served after the kill")
                    .isNotEmpty();

            List<Result> proxied =
                    results.stream().filter(r -> r.path().startsWith("/api/")).toList();
            assertThat(proxied.stream().filter(r -> r.endNanos() < killedAt))
                    .as("proxied requests finished before the kill")
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
            List<Result> inFlight = proxied.stream()
                    .filter(r -> r.startNanos() < killedAt && r.endNanos() > killedAt)
                    .toList();
            assertThat(inFlight)
                    .as("proxied requests in flight at the kill")
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isIn(200, 502, 503));
            assertThat(inFlight.stream().filter(r -> r.status() != 200))
                    .as("in-flight requests that failed")
                    .isNotEmpty();
            List<Result> after = proxied.stream()
                    .filter(r -> r.startNanos() > killedAt + TimeUnit.MILLISECONDS.toNanos(200))
                    .toList();
            assertThat(after)
                    .as("proxied requests after the kill")
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.status())
                            .as("backend gone: refused -> 503 " + r)
                            .isEqualTo(503));
        } finally {
            if (frontend != null) {
                frontend.stop();
            }
            backend.destroyForcibly();
        }
    }

    private static Result call(HttpClient client, int port, String path) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = Harness.get(client, port, path, CLIENT_TIMEOUT);
            if (path.startsWith("/api/") && response.statusCode() != 200) {
                BackendAbsentAtStartupTest.assertProxyError(response, response.statusCode());
            }
            return new Result(path, start, System.nanoTime(), response.statusCode(), null);
        } catch (Exception | AssertionError e) {
            return new Result(path, start, System.nanoTime(), 0, e.toString());
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
