package dev.whoknows.frontend.ops;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
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

    /** The API endpoints timed one by one; any other /api/ path is "other", pages and assets "none". */
    private static final Set<String> ENDPOINTS = Set.of(
            "/api/search",
            "/api/weather",
            "/api/register",
            "/api/login",
            "/api/logout",
            "/api/session",
            "/api/health",
            "/api/ready",
            "/api/metrics");

    // 0.1, 0.25: the page and API latency objectives; 6, 10: the course simulator's time limits
    private final Histogram durations = Histogram.builder()
            .name("frontend_http_request_duration_seconds")
            .help(
                    "Time to answer a request, by route class and API endpoint (other: unknown /api/ path; none: pages, assets)")
            .classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 6, 10, 30)
            .labelNames("class", "endpoint")
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
    private final Map<String, Map<String, DistributionDataPoint>> durationSeries = new ConcurrentHashMap<>();
    private boolean jvmRegistered;

    public Metrics(String version) {
        Gauge.builder()
                .name("frontend_build_info")
                .help("Build version of the frontend")
                .labelNames("version")
                .register(registry)
                .labelValues(version)
                .set(1);
    }

    /** One answered request: counted by class and status, timed by class and endpoint. */
    public void request(String routeClass, String path, int status, long ms) {
        request(routeClass, status);
        String endpoint = routeClass.equals("page") || routeClass.equals("asset") ? "none" : endpoint(path);
        durationSeries
                .computeIfAbsent(routeClass, key -> new ConcurrentHashMap<>())
                .computeIfAbsent(endpoint, key -> durations.labelValues(routeClass, key))
                .observe(ms / 1000.0);
    }

    private static String endpoint(String path) {
        String bare = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return ENDPOINTS.contains(bare) ? bare : "other";
    }

    private void request(String routeClass, int status) {
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

    /**
     * Heap, GC, threads, CPU, file descriptors, start time. Registered at the first scrape, not at start:
     * the JMX beans behind them load a few hundred classes, which start-up need not wait for.
     */
    private synchronized void registerJvmMetrics() {
        if (!jvmRegistered) {
            JvmMetrics.builder().register(registry);
            jvmRegistered = true;
        }
    }

    public byte[] scrape() {
        registerJvmMetrics();
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }
}
