package dev.whoknows.deploy;

import dev.whoknows.frontend.FrontendApp;
import dev.whoknows.frontend.FrontendConfig;
import dev.whoknows.stub.StubApp;
import dev.whoknows.stub.StubConfig;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real stub and frontend, started in-process on free ports (the frontend forwarding to the stub), so
 * probe and scrape paths are checked against the routes the services really serve. A test class holds one
 * as a static {@code @RegisterExtension} field: started before its tests, stopped after them.
 */
final class LiveApps implements BeforeAllCallback, AfterAllCallback {

    private Javalin stub;
    private Javalin frontend;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public void beforeAll(ExtensionContext context) {
        stub = StubApp.create(StubConfig.defaults().withPort(0)).start();
        frontend = FrontendApp.create(FrontendConfig.fromEnv(
                        Map.of(
                                "FRONTEND_INTERNAL_PORT",
                                "0",
                                // the question is whether a route is served, not how fast: a busy CI machine may be
                                // slow
                                "FRONTEND_READY_TIMEOUT_MS",
                                "15000",
                                "BACKEND_URL",
                                "http://127.0.0.1:" + stub.port(),
                                "STATIC_DIR",
                                Repo.root().resolve("static").toString()),
                        Repo.root()))
                .start();
    }

    /** The status a GET of the path answers on the app, or -1 when it does not answer at all. */
    int status(App app, String path) {
        int port = app == App.FRONTEND ? frontend.port() : stub.port();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | IllegalArgumentException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        frontend.stop();
        stub.stop();
    }
}
