package dev.whoknows.frontend.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.whoknows.frontend.testing.ContractCheckedWireMock.offContract;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.whoknows.frontend.BackendStubs;
import dev.whoknows.frontend.TestFrontend;
import dev.whoknows.frontend.testing.ContractCheckedWireMock;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class OpsTest {

    @RegisterExtension
    @Order(1)
    static final ContractCheckedWireMock backend = ContractCheckedWireMock.backend(BackendStubs::install);

    @RegisterExtension
    @Order(2)
    static final TestFrontend frontend = TestFrontend.extension()
            .backend(backend)
            .env("FRONTEND_READY_TIMEOUT_MS", "3000")
            .build();

    @Test
    void healthIsLocalAndCarriesTheVersion() {
        HttpResponse<String> response = frontend.get("/api/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo("{\"status\":\"ok\",\"service\":\"frontend\",\"version\":\"1.2.3-test\"}");
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(backend.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void readyAsksTheBackendsHealth() {
        HttpResponse<String> response = frontend.get("/api/ready");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"ready\",\"backend\":\"ok\"}");
        backend.verify(1, getRequestedFor(urlEqualTo("/api/health")));
    }

    @Test
    void readyIs503WithTheReasonWhenTheBackendFails() {
        backend.stubFor(get(urlEqualTo("/api/health"))
                .withMetadata(offContract("a failing backend: a 500 with no body"))
                .willReturn(aResponse().withStatus(500)));
        HttpResponse<String> failing = frontend.get("/api/ready");
        assertThat(failing.statusCode()).isEqualTo(503);
        assertThat(failing.body())
                .isEqualTo("{\"status\":\"unavailable\",\"backend\":\"backend health check answered HTTP 500\"}");

        backend.stubFor(get(urlEqualTo("/api/health"))
                .willReturn(BackendStubs.json(200, BackendStubs.HEALTH).withFixedDelay(6_000)));
        HttpResponse<String> slow = frontend.get("/api/ready");
        assertThat(slow.statusCode()).isEqualTo(503);
        assertThat(slow.body()).contains("no answer within 3000 ms");

        backend.stubFor(get(urlEqualTo("/api/health"))
                .withMetadata(offContract("a reset connection"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThat(frontend.get("/api/ready").statusCode()).isEqualTo(503);
    }

    @Test
    void readyWithNoBackendNamesTheRefusal(@TempDir Path dir) {
        int port = TestFrontend.closedPort();
        try (TestFrontend down = TestFrontend.start(dir, "http://localhost:" + port)) {
            HttpResponse<String> response = down.get("/api/ready");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body())
                    .isEqualTo("{\"status\":\"unavailable\",\"backend\":\"connection refused by localhost:" + port
                            + "\"}");
            assertThat(down.get("/api/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void metricsCountRequestsProxyLatencyAndBackendErrors(@TempDir Path dir) throws InterruptedException {
        try (TestFrontend fresh = TestFrontend.start(dir, backend.baseUrl())) {
            fresh.get("/");
            fresh.get("/");
            fresh.get("/static/css/style.css");
            fresh.get("/no-such-page");
            fresh.get("/api/search?q=kubernetes");
            fresh.get("/api/health");
            backend.stubFor(get(urlEqualTo("/api/broken"))
                    .withMetadata(offContract("a reset connection, counted as a backend error"))
                    .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            fresh.get("/api/broken");

            // a request is counted when Jetty has finished it, which can be just after the client has its answer
            HttpResponse<String> metrics = fresh.get("/api/metrics");
            for (int i = 0;
                    i < 50
                            && !metrics.body()
                                    .contains("frontend_proxy_request_duration_seconds_count{outcome=\"reset\"} 1");
                    i++) {
                Thread.sleep(100);
                metrics = fresh.get("/api/metrics");
            }
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("text/plain");
            assertThat(metrics.body())
                    .contains("frontend_http_requests_total{class=\"page\",status=\"200\"} 2")
                    .contains("frontend_http_requests_total{class=\"page\",status=\"404\"} 1")
                    .contains("frontend_http_requests_total{class=\"asset\",status=\"200\"} 1")
                    .contains("frontend_http_requests_total{class=\"proxy\",status=\"200\"} 1")
                    .contains("frontend_http_requests_total{class=\"proxy\",status=\"502\"} 1")
                    .containsPattern(
                            "frontend_http_requests_total\\{class=\"ops\",status=\"200\"} [1-9]") // health, and earlier
                    // scrapes
                    .contains("frontend_proxy_request_duration_seconds_bucket{outcome=\"2xx\",le=\"+Inf\"} 1")
                    .contains("frontend_proxy_request_duration_seconds_count{outcome=\"reset\"} 1")
                    .contains("frontend_backend_errors_total{kind=\"reset\"} 1")
                    .contains("frontend_build_info{version=\"1.2.3-test\"} 1");
        }
    }
}
