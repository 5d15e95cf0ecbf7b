package dev.whoknows.frontend.ops;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** The frontend's Prometheus metrics, in a registry of its own (one per app instance). */
public final class Metrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    private final Counter requests = Counter.builder()
            .name("frontend_http_requests_total")
            .help("HTTP requests answered, by route class (page, asset, api, proxy, ops) and status")
            .labelNames("class", "status")
            .register(registry);

    private final Histogram proxyLatency = Histogram.builder()
            .name("frontend_proxy_request_duration_seconds")
            .help("Time from receiving a proxied request to the end of the backend's answer")
            .classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
            .labelNames("outcome")
            .register(registry);

    private final Counter backendErrors = Counter.builder()
            .name("frontend_backend_errors_total")
            .help("Failed backend calls by kind (refused, timeout, reset, malformed)")
            .labelNames("kind")
            .register(registry);

    private final Gauge proxyInFlight = Gauge.builder()
            .name("frontend_proxy_in_flight")
            .help("Proxied requests currently waiting on the backend")
            .register(registry);

    // Looking a labelled series up costs a label list and a map lookup; every request counts, so keep them.
    private final Map<String, AtomicReferenceArray<CounterDataPoint>> requestSeries = new ConcurrentHashMap<>();
    private final Map<String, DistributionDataPoint> proxySeries = new ConcurrentHashMap<>();

    public Metrics(String version) {
        Gauge.builder().name("frontend_build_info").help("Build version of the frontend")
                .labelNames("version").register(registry).labelValues(version).set(1);
    }

    public void request(String routeClass, int status) {
        if (status < 100 || status > 599) {
            requests.labelValues(routeClass, Integer.toString(status)).inc();
            return;
        }
        AtomicReferenceArray<CounterDataPoint> byStatus =
                requestSeries.computeIfAbsent(routeClass, key -> new AtomicReferenceArray<>(600));
        CounterDataPoint series = byStatus.get(status);
        if (series == null) {
            series = requests.labelValues(routeClass, Integer.toString(status));
            byStatus.set(status, series);
        }
        series.inc();
    }

    /** @param outcome the status class ("2xx", "5xx") or the failure kind */
    public void proxied(String outcome, long nanos) {
        proxySeries.computeIfAbsent(outcome, proxyLatency::labelValues).observe(nanos / 1e9);
    }

    public void backendError(String kind) {
        backendErrors.labelValues(kind).inc();
    }

    public void proxyStarted() {
        proxyInFlight.inc();
    }

    public void proxyEnded() {
        proxyInFlight.dec();
    }

    public String contentType() {
        return writer.getContentType();
    }

    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }
}
