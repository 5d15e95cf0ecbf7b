package dev.whoknows.stub.metrics;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The stub's Prometheus metrics, served at {@code GET /metrics}, in a registry of its own (one per app).
 * Every request is counted here, from its matched route and status, so the feature packages hold no
 * metrics code: logins and registrations are told apart by the status the route answered; a search
 * leaves its language and whether it found anything on the request ({@link #searched}). Labels carry
 * only bounded values: route templates, status classes, outcomes, the two languages; never a username
 * or a search term.
 */
public final class StubMetrics {
    public static final String PATH = "/metrics";
    private static final String SEARCH = StubMetrics.class.getName() + ".search";

    private record Search(String language, boolean found) {}

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private boolean jvmRegistered;

    private final Counter requests = Counter.builder()
            .name("stub_http_requests_total")
            .help("HTTP requests answered, by route template (unmatched: no route) and status class")
            .labelNames("route", "status_class")
            .register(registry);

    private final Histogram durations = Histogram.builder()
            .name("stub_http_request_duration_seconds")
            .help("Time to answer a request, by route template")
            .classicOnly()
            .classicUpperBounds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 6, 10, 30)
            .labelNames("route")
            .register(registry);

    private final Counter logins = Counter.builder()
            .name("stub_logins_total")
            .help("POST /api/login by outcome: ok, failed (unknown user or wrong password), throttled, invalid")
            .labelNames("outcome")
            .register(registry);

    private final Counter registrations = Counter.builder()
            .name("stub_registrations_total")
            .help("POST /api/register by outcome: ok, taken (username exists), invalid")
            .labelNames("outcome")
            .register(registry);

    private final Counter searches = Counter.builder()
            .name("stub_searches_total")
            .help("Answered searches by language and whether any page matched (results: some or none)")
            .labelNames("language", "results")
            .register(registry);

    public StubMetrics(String version) {
        Gauge.builder()
                .name("stub_build_info")
                .help("Build version of the stub backend")
                .labelNames("version")
                .register(registry)
                .labelValues(version)
                .set(1);
        for (String outcome : new String[] {"ok", "failed", "throttled", "invalid"}) {
            logins.labelValues(outcome); // present at 0 from the start, so rate() sees the first one
        }
        for (String outcome : new String[] {"ok", "taken", "invalid"}) {
            registrations.labelValues(outcome);
        }
    }

    /** Called by the search route: the request's language and whether it found any page. */
    public static void searched(Context ctx, String language, boolean found) {
        ctx.attribute(SEARCH, new Search(language, found));
    }

    /** A Javalin request logger: counts and times every answered request. */
    public void observe(Context ctx, float ms) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        String route = endpoint == null ? "unmatched" : endpoint.path;
        int status = ctx.statusCode();
        requests.labelValues(route, status / 100 + "xx").inc();
        durations.labelValues(route).observe(ms / 1000.0);
        switch (route) {
            case "/api/login" ->
                logins.labelValues(
                                switch (status) {
                                    case 200 -> "ok";
                                    case 401 -> "failed";
                                    case 429 -> "throttled";
                                    default -> "invalid";
                                })
                        .inc();
            case "/api/register" ->
                registrations
                        .labelValues(
                                switch (status) {
                                    case 200 -> "ok";
                                    case 409 -> "taken";
                                    default -> "invalid";
                                })
                        .inc();
            default -> {
                Search search = ctx.attribute(SEARCH);
                if (search != null && status == 200) {
                    searches.labelValues(search.language(), search.found() ? "some" : "none")
                            .inc();
                }
            }
        }
    }

    /** JMX beans load a few hundred classes: only a process that is scraped pays for them, at its first scrape. */
    private synchronized void registerJvmMetrics() {
        if (!jvmRegistered) {
            JvmMetrics.builder().register(registry);
            jvmRegistered = true;
        }
    }

    /** GET /metrics: the Prometheus text format. */
    public void serve(Context ctx) {
        registerJvmMetrics();
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(writer.getContentType()).result(out.toByteArray());
    }
}
