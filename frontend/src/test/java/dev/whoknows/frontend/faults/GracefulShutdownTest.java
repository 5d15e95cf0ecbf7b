package dev.whoknows.frontend.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.testsupport.http.RawHttp;
import dev.whoknows.testsupport.http.RawHttp.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the real frontend process under steady load: every request it had accepted completes
 * in full (no reset, no cut-off body), and it exits within the drain bound.
 */
@Timeout(60)
class GracefulShutdownTest {

    private static final int SHUTDOWN_TIMEOUT_MS = 5_000;
    private static final long BACKEND_DELAY_MS = 700;
    private static final byte[] BACKEND_BODY =
            ("{\"data\":[],\"pad\":\"" + "x".repeat(32 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(15);
    private static final long ACCEPT_GRACE_MS = 100;

    record Result(String path, long startNanos, RawHttp.Response response) {}

    @Test
    void sigtermDrainsAcceptedRequestsAndExitsWithinTheBound(@TempDir Path dir) throws Exception {
        try (RawBackend backend =
                RawBackend.start(RawBackend.respond(200, "application/json", BACKEND_BODY, BACKEND_DELAY_MS))) {
            int port = Harness.freePort();
            Path log = dir.resolve("frontend.log");
            Map<String, String> env = Harness.env(
                    backend.url(),
                    Map.of(
                            "FRONTEND_INTERNAL_PORT", String.valueOf(port),
                            "FRONTEND_SHUTDOWN_TIMEOUT_MS", String.valueOf(SHUTDOWN_TIMEOUT_MS),
                            "LOG_LEVEL", "info"));
            Process frontend = Harness.startJava("dev.whoknows.frontend.Main", env, List.of(), log);
            try {
                String host = "127.0.0.1:" + port;
                assertThat(Harness.await(
                                () -> RawHttp.exchange(
                                                        "127.0.0.1",
                                                        port,
                                                        RawHttp.get("/api/health", host),
                                                        Duration.ofSeconds(2))
                                                .status()
                                        == 200,
                                Duration.ofSeconds(20)))
                        .as("frontend process became healthy: %s", Harness.tail(log))
                        .isTrue();

                List<Result> results = new CopyOnWriteArrayList<>();
                AtomicBoolean running = new AtomicBoolean(true);
                List<Thread> load = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    String path = i < 5 ? "/api/search?q=drain" + i : (i % 2 == 0 ? "/static/css/style.css" : "/");
                    Thread thread = new Thread(
                            () -> {
                                while (running.get()) {
                                    long start = System.nanoTime();
                                    results.add(new Result(
                                            path,
                                            start,
                                            RawHttp.exchange(
                                                    "127.0.0.1", port, RawHttp.get(path, host), CLIENT_TIMEOUT)));
                                    if (!path.startsWith("/api/")) {
                                        sleep(25);
                                    }
                                }
                            },
                            "load-" + i);
                    thread.start();
                    load.add(thread);
                }
                Thread.sleep(2 * BACKEND_DELAY_MS + 400);

                long sigtermAt = System.nanoTime();
                frontend.destroy(); // SIGTERM
                boolean exited = frontend.waitFor(SHUTDOWN_TIMEOUT_MS + 5_000L, TimeUnit.MILLISECONDS);
                long exitedAt = System.nanoTime();
                Thread.sleep(300);
                running.set(false);
                for (Thread thread : load) {
                    thread.join(CLIENT_TIMEOUT.toMillis() + 1_000);
                }

                assertThat(exited)
                        .as("exits after SIGTERM: %s", Harness.tail(log))
                        .isTrue();
                assertThat(Duration.ofNanos(exitedAt - sigtermAt))
                        .as("exit within the drain bound")
                        .isLessThanOrEqualTo(Duration.ofMillis(SHUTDOWN_TIMEOUT_MS + 3_000L));
                assertThat(frontend.exitValue()).as("exit status after SIGTERM").isIn(0, 143);

                // a connection made in the last moments before SIGTERM may still sit in the kernel's accept
                // queue when the listener closes: it counts as accepted only once the acceptor had time for it
                long acceptedBefore = sigtermAt - TimeUnit.MILLISECONDS.toNanos(ACCEPT_GRACE_MS);
                List<Result> accepted = results.stream()
                        .filter(r -> r.response().outcome() != Outcome.REFUSED
                                && r.response().connectedAtNanos() < acceptedBefore)
                        .toList();
                assertThat(accepted.stream()
                                .filter(r -> r.path().startsWith("/api/")
                                        && r.response().endedAtNanos() > sigtermAt))
                        .as("proxied requests in flight when SIGTERM arrived")
                        .isNotEmpty();
                assertThat(accepted)
                        .as("every request accepted before SIGTERM completes in full")
                        .allSatisfy(r -> {
                            assertThat(r.response().outcome())
                                    .as("%s %s", r.path(), r.response())
                                    .isEqualTo(Outcome.COMPLETE);
                            assertThat(r.response().status())
                                    .as("%s %s", r.path(), r.response())
                                    .isEqualTo(200);
                            if (r.path().startsWith("/api/")) {
                                assertThat(Arrays.equals(r.response().body(), BACKEND_BODY))
                                        .as("%s: the whole body", r.path())
                                        .isTrue();
                            }
                        });
                assertThat(results)
                        .as("no client ever sees a cut-off response or a hang")
                        .allSatisfy(r -> assertThat(r.response().outcome())
                                .as("%s %s", r.path(), r.response())
                                .isNotIn(Outcome.TRUNCATED, Outcome.TIMEOUT, Outcome.MALFORMED));
                assertThat(results.stream().filter(r -> r.response().connectedAtNanos() >= acceptedBefore))
                        .as("connections made around or after SIGTERM are refused or answered in full")
                        .allSatisfy(r -> {
                            if (r.response().outcome() == Outcome.COMPLETE) {
                                assertThat(r.response().status())
                                        .as("%s %s", r.path(), r.response())
                                        .isIn(200, 503);
                            } else {
                                // a connection still in the kernel's accept queue when the listener closed:
                                // the application never saw it, which is a refusal, not a lost request
                                assertThat(r.response().outcome())
                                        .as("%s %s", r.path(), r.response())
                                        .isIn(Outcome.REFUSED, Outcome.RESET, Outcome.CLOSED_WITHOUT_RESPONSE);
                                assertThat(r.response().status()).isZero();
                            }
                        });
            } finally {
                frontend.destroyForcibly();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
