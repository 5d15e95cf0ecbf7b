package dev.whoknows.frontend.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.stub.StubApp;
import dev.whoknows.stub.StubConfig;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real stub is restarted on the same port (as {@code docker compose restart backend} does) while
 * the frontend holds pooled keep-alive connections to the old one: the very first request after the
 * restart, a login POST whose body cannot be replayed, must reach the new backend instead of failing
 * on a dead pooled connection.
 */
@Timeout(60)
class BackendRestartTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    @Test
    void firstPostAfterABackendRestartReachesTheNewBackend() throws Exception {
        int backendPort = Harness.freePort();
        Javalin stub = startStub(backendPort);
        Javalin frontend = Harness.startFrontend("http://127.0.0.1:" + backendPort);
        try {
            HttpClient client = Harness.client();
            for (int i = 0; i < 2; i++) { // few failures: the stub throttles repeated ones
                assertThat(Harness.get(client, frontend.port(), "/api/search?q=java", BOUND)
                                .statusCode())
                        .isEqualTo(200);
                assertThat(login(client, frontend.port(), "wrong").statusCode()).isEqualTo(401);
            }

            stub.stop();
            stub = startStub(backendPort);

            HttpResponse<String> first = login(client, frontend.port(), "demo1234");
            assertThat(first.statusCode())
                    .as("first login after the restart: %s", first.body())
                    .isEqualTo(200);
            assertThat(first.body()).contains("You were logged in");
            assertThat(Harness.get(client, frontend.port(), "/api/search?q=java", BOUND)
                            .statusCode())
                    .isEqualTo(200);
        } finally {
            frontend.stop();
            stub.stop();
        }
    }

    private static Javalin startStub(int port) {
        return StubApp.create(
                        StubConfig.fromEnv(Map.of("BACKEND_INTERNAL_PORT", String.valueOf(port), "LOG_LEVEL", "warn")))
                .start();
    }

    private static HttpResponse<String> login(HttpClient client, int port, String password) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/login"))
                .timeout(BOUND)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("username=demo&password=" + password))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
