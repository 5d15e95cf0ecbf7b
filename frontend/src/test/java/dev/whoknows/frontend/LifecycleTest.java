package dev.whoknows.frontend;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Graceful shutdown and thread-pool behaviour under slow backends. */
class LifecycleTest {

    @TempDir
    Path temp;
    WireMockServer backend;

    @BeforeEach
    void start() {
        backend = new WireMockServer(options().dynamicPort().containerThreads(400).asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(50));
        backend.start();
        BackendStubs.install(backend);
    }

    @AfterEach
    void stop() {
        backend.stop();
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void stopLetsRequestsInFlightFinishAndRefusesNewConnections() throws Exception {
        backend.stubFor(get(urlEqualTo("/api/slow")).willReturn(BackendStubs.json(200, BackendStubs.SEARCH_EMPTY)
                .withFixedDelay(1_200)));
        TestFrontend frontend = TestFrontend.start(temp, backend.baseUrl(), Map.of("FRONTEND_SHUTDOWN_TIMEOUT_MS", "5000",
                "BACKEND_READ_TIMEOUT_MS", "4000", "BACKEND_CALL_TIMEOUT_MS", "4000"));
        int port = frontend.port();
        CompletableFuture<HttpResponse<String>> inFlight = client().sendAsync(
                HttpRequest.newBuilder(URI.create(frontend.url("/api/slow"))).build(), HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (backend.findAll(anyRequestedFor(urlEqualTo("/api/slow"))).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long stopStart = System.nanoTime();
        frontend.close();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStart);

        HttpResponse<String> response = inFlight.get(5, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(BackendStubs.SEARCH_EMPTY);
        assertThat(stopMillis).as("stop waited for the request, within the drain bound").isLessThan(5_000);
        assertThatThrownBy(() -> new Socket("localhost", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void manySlowBackendCallsDoNotStarvePagesAndEndAs504() throws Exception {
        backend.stubFor(get(urlEqualTo("/api/slow")).willReturn(BackendStubs.json(200, BackendStubs.SEARCH_EMPTY)
                .withFixedDelay(4_000)));
        try (TestFrontend frontend = TestFrontend.start(temp, backend.baseUrl(),
                Map.of("BACKEND_READ_TIMEOUT_MS", "2500", "BACKEND_CALL_TIMEOUT_MS", "3000"))) {
            HttpClient client = client();
            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            for (int i = 0; i < 220; i++) {
                slow.add(client.sendAsync(HttpRequest.newBuilder(URI.create(frontend.url("/api/slow")))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (backend.findAll(anyRequestedFor(urlEqualTo("/api/slow"))).size() < 200 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }

            for (String path : new String[] {"/", "/static/css/style.css", "/api/health"}) {
                long start = System.nanoTime();
                HttpResponse<String> response = frontend.get(path);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(millis).as(path + " while 220 backend calls hang").isLessThan(1_000);
            }
            for (CompletableFuture<HttpResponse<String>> call : slow) {
                assertThat(call.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
            }
        }
    }

    @Test
    void moreProxiedRequestsThanTheLimitAreTurnedAwayQuickly() throws Exception {
        backend.stubFor(get(urlEqualTo("/api/slow")).willReturn(BackendStubs.json(200, BackendStubs.SEARCH_EMPTY)
                .withFixedDelay(1_500)));
        try (TestFrontend frontend = TestFrontend.start(temp, backend.baseUrl(),
                Map.of("FRONTEND_MAX_PROXY_REQUESTS", "4",
                        "BACKEND_READ_TIMEOUT_MS", "5000", "BACKEND_CALL_TIMEOUT_MS", "5000"))) {
            HttpClient client = client();
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(client.sendAsync(HttpRequest.newBuilder(URI.create(frontend.url("/api/slow"))).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                HttpResponse<String> response = call.get(10, TimeUnit.SECONDS);
                statuses.add(response.statusCode());
                if (response.statusCode() == 503) {
                    assertThat(response.body()).contains("too many backend requests");
                    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
                }
            }
            assertThat(statuses).containsOnly(200, 503);
            assertThat(statuses.stream().filter(s -> s == 200).count()).isBetween(4L, 9L);
        }
    }

    @Test
    void requestHeadersOverTheLimitAre431() throws IOException {
        try (TestFrontend frontend = TestFrontend.start(temp, backend.baseUrl())) {
            String response = frontend.raw("GET /api/search?q=a HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                    + "x".repeat(10_000) + "\r\nConnection: close\r\n\r\n");
            assertThat(TestFrontend.statusOf(response)).isEqualTo(431);
        }
    }
}
