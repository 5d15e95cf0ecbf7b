package dev.whoknows.frontend.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.frontend.BackendStubs;
import dev.whoknows.frontend.TestFrontend;
import dev.whoknows.frontend.testing.ContractCheckedWireMock;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Request durations by route class and API endpoint, and the JVM/process metrics, as a scrape shows them. */
class DurationAndJvmMetricsTest {

    @RegisterExtension
    static final ContractCheckedWireMock backend = ContractCheckedWireMock.backend(BackendStubs::install);

    @Test
    void requestsAreTimedByClassAndEndpointAndTheJvmIsMeasured(@TempDir Path dir) {
        try (TestFrontend frontend = TestFrontend.start(dir, backend.baseUrl())) {
            frontend.get("/");
            frontend.get("/api/search?q=kubernetes");
            frontend.get("/api/search/?q=kubernetes");
            frontend.get("/api/not-an-endpoint-" + "x".repeat(20));
            frontend.get("/api/health");

            String body = frontend.get("/api/metrics").body();
            assertThat(body)
                    .contains("frontend_http_request_duration_seconds_count{class=\"page\",endpoint=\"none\"} 1")
                    .contains(
                            "frontend_http_request_duration_seconds_count{class=\"proxy\",endpoint=\"/api/search\"} 2")
                    .contains("frontend_http_request_duration_seconds_count{class=\"proxy\",endpoint=\"other\"} 1")
                    .contains("frontend_http_request_duration_seconds_count{class=\"ops\",endpoint=\"/api/health\"} 1")
                    .contains(
                            "frontend_http_request_duration_seconds_bucket{class=\"page\",endpoint=\"none\",le=\"0.1\"}")
                    .contains(
                            "frontend_http_request_duration_seconds_bucket{class=\"proxy\",endpoint=\"/api/search\",le=\"6.0\"} 2")
                    .doesNotContain("not-an-endpoint", "kubernetes");
            // the JVM instrumentation of the Prometheus client: heap, GC, threads, CPU, fds, start time
            assertThat(body)
                    .contains(
                            "jvm_memory_used_bytes{area=\"heap\"}",
                            "jvm_gc_collection_seconds_count{",
                            "jvm_threads_current ",
                            "process_cpu_seconds_total ",
                            "process_open_fds ",
                            "process_start_time_seconds ",
                            "jvm_runtime_info{");
        }
    }
}
