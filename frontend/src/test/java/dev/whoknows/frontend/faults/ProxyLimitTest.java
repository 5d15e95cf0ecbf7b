package dev.whoknows.frontend.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.frontend.BackendStubs;
import dev.whoknows.frontend.testing.ContractCheckedWireMock;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** FRONTEND_MAX_PROXY_REQUESTS: requests over the limit are turned away at once, not queued behind it. */
class ProxyLimitTest {

    private static final int BACKEND_DELAY_MS = 3_000;
    private static final String SLOW = "/api/search?q=slow";

    @RegisterExtension
    static final ContractCheckedWireMock backend =
            ContractCheckedWireMock.backend(stubs -> stubs.stubFor(get(urlEqualTo(SLOW))
                    .willReturn(
                            BackendStubs.json(200, BackendStubs.SEARCH_EMPTY).withFixedDelay(BACKEND_DELAY_MS))));

    private static Javalin frontend;

    @BeforeAll
    static void start() {
        frontend = Harness.startFrontend(
                backend.baseUrl(),
                Map.of(
                        "FRONTEND_MAX_PROXY_REQUESTS",
                        "4",
                        "BACKEND_READ_TIMEOUT_MS",
                        "10000",
                        "BACKEND_CALL_TIMEOUT_MS",
                        "10000"));
    }

    @AfterAll
    static void stop() {
        frontend.stop();
    }

    @Test
    void requestsOverTheLimitGet503WithRetryAfterBeforeTheAdmittedOnesAreAnswered() throws Exception {
        HttpClient client = Harness.client();
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        List<CompletableFuture<Long>> answeredAfterMs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            CompletableFuture<HttpResponse<String>> call = client.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + frontend.port() + SLOW))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            calls.add(call);
            answeredAfterMs.add(call.thenApply(response -> (System.nanoTime() - start) / 1_000_000));
        }
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            HttpResponse<String> response = calls.get(i).get(30, TimeUnit.SECONDS);
            statuses.add(response.statusCode());
            if (response.statusCode() == 503) {
                assertThat(response.body()).contains("too many backend requests");
                assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(answeredAfterMs.get(i).get())
                        .as("a refused request does not wait for a slot")
                        .isLessThan(BACKEND_DELAY_MS);
            }
        }
        assertThat(statuses).containsOnly(200, 503);
        // 4 slots; a slot freed late in the burst may admit a few more, never all ten
        assertThat(statuses.stream().filter(s -> s == 200).count()).isBetween(4L, 9L);
    }
}
