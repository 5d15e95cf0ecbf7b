package dev.whoknows.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {
    @Test
    void findsMetricNamesAndNothingElse() {
        assertThat(
                        PromQl.metricNames(
                                "histogram_quantile(0.99, sum by (class, le) "
                                        + "(rate(frontend_http_request_duration_seconds_bucket{class=~\"api|proxy\",le=\"0.25\"}[5m])))"))
                .containsExactly("frontend_http_request_duration_seconds_bucket");
        assertThat(PromQl.metricNames(
                        "(sum(rate(a_total{status=~\"5..\"}[5m])) or vector(0)) / sum(rate(b_total[1h] offset 5m))"
                                + " > 14.4 * 0.005 and slo:x:ratio_rate5m > 1e-3"))
                .containsExactly("a_total", "b_total", "slo:x:ratio_rate5m");
        assertThat(
                        PromQl.metricNames(
                                "sum by (job, instance) (x) / ignoring(le) group_left (id) y unless on (job) absent(up{job=\"z\"})"))
                .containsExactly("up", "x", "y");
        assertThat(PromQl.metricNames("time() - process_start_time_seconds{job=~\"frontend|backend\"}"))
                .containsExactly("process_start_time_seconds");
    }
}
