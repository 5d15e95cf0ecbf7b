package dev.whoknows.stub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.stub.StubConfig;
import dev.whoknows.stub.TestStub;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET /metrics after real requests: what an operator's dashboard would show. */
class StubMetricsTest {
    private final TestStub stub = new TestStub(StubConfig.defaults());
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        stub.close();
    }

    private HttpResponse<String> scrapeResponse() throws Exception {
        return http.send(HttpRequest.newBuilder(stub.uri("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = scrapeResponse();
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The value of one sample, e.g. {@code stub_logins_total{outcome="ok"}}; -1 when absent. */
    static double value(String scrape, String series) {
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    /**
     * Requests are counted by a request logger, which Javalin runs once the answer is written: a client
     * can be quicker than that, so assertions on counts get a moment to become true.
     */
    private void eventually(ThrowingAssertions assertions) throws Exception {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (true) {
            try {
                assertions.check(scrape());
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    interface ThrowingAssertions {
        void check(String scrape) throws Exception;
    }

    @Test
    void servesPrometheusTextWithJvmAndProcessMetrics() throws Exception {
        assertThat(stub.get("/api/health").status()).isEqualTo(200);
        HttpResponse<String> response = scrapeResponse();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        assertThat(response.body())
                .contains(
                        "stub_build_info{version=\"dev\"} 1.0",
                        "process_start_time_seconds ",
                        "process_open_fds ",
                        "jvm_memory_used_bytes{area=\"heap\"}",
                        "jvm_threads_current ",
                        "jvm_gc_collection_seconds_count");
        // the counters of logins and registrations exist at zero before the first one
        assertThat(value(response.body(), "stub_logins_total{outcome=\"throttled\"}"))
                .isEqualTo(0);
        assertThat(value(response.body(), "stub_registrations_total{outcome=\"ok\"}"))
                .isEqualTo(0);
        eventually(s -> assertThat(value(s, "stub_http_requests_total{route=\"/api/health\",status_class=\"2xx\"}"))
                .isEqualTo(1));
    }

    @Test
    void countsLoginsRegistrationsAndSearchesByOutcomeWithoutNamesOrTerms() throws Exception {
        assertThat(stub.get("/api/search?q=python").status()).isEqualTo(200);
        assertThat(stub.get("/api/search?q=python&language=en").status()).isEqualTo(200);
        assertThat(stub.get("/api/search?q=zzqqxxnothing&language=da").status()).isEqualTo(200);
        assertThat(stub.get("/api/search?q=x&language=fr").status()).isEqualTo(422);
        assertThat(stub.login("demo", "demo1234").status()).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertThat(stub.login("secretuser", "wrongpass").status()).isEqualTo(401);
        }
        assertThat(stub.login("secretuser", "wrongpass").status()).isEqualTo(429);
        assertThat(stub.register("newperson", "pw123456").status()).isEqualTo(200);
        assertThat(stub.register("newperson", "pw123456").status()).isEqualTo(409);
        assertThat(stub.postForm("/api/register", TestStub.form("username", "x"))
                        .status())
                .isIn(400, 422);
        assertThat(stub.get("/api/nothing/here").status()).isEqualTo(404);

        eventually(s -> assertThat(value(s, "stub_http_requests_total{route=\"unmatched\",status_class=\"4xx\"}"))
                .isEqualTo(1));
        String s = scrape();
        assertThat(value(s, "stub_searches_total{language=\"en\",results=\"some\"}"))
                .isEqualTo(2);
        assertThat(value(s, "stub_searches_total{language=\"da\",results=\"none\"}"))
                .isEqualTo(1);
        assertThat(value(s, "stub_logins_total{outcome=\"ok\"}")).isEqualTo(1);
        assertThat(value(s, "stub_logins_total{outcome=\"failed\"}")).isEqualTo(5);
        assertThat(value(s, "stub_logins_total{outcome=\"throttled\"}")).isEqualTo(1);
        assertThat(value(s, "stub_registrations_total{outcome=\"ok\"}")).isEqualTo(1);
        assertThat(value(s, "stub_registrations_total{outcome=\"taken\"}")).isEqualTo(1);
        assertThat(value(s, "stub_registrations_total{outcome=\"invalid\"}")).isEqualTo(1);
        assertThat(value(s, "stub_http_requests_total{route=\"/api/search\",status_class=\"2xx\"}"))
                .isEqualTo(3);
        assertThat(value(s, "stub_http_requests_total{route=\"/api/search\",status_class=\"4xx\"}"))
                .isEqualTo(1);
        assertThat(value(s, "stub_http_requests_total{route=\"/api/login\",status_class=\"4xx\"}"))
                .isEqualTo(6);
        assertThat(value(s, "stub_http_requests_total{route=\"unmatched\",status_class=\"4xx\"}"))
                .isEqualTo(1);
        assertThat(value(s, "stub_http_request_duration_seconds_count{route=\"/api/login\"}"))
                .isEqualTo(7);
        assertThat(value(s, "stub_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"+Inf\"}"))
                .isEqualTo(4);
        assertThat(s).doesNotContain("secretuser", "newperson", "demo\"", "python", "zzqqxxnothing", "/api/nothing");
    }
}
