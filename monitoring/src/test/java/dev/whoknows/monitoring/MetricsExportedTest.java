package dev.whoknows.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.frontend.FrontendApp;
import dev.whoknows.frontend.FrontendConfig;
import dev.whoknows.stub.StubApp;
import dev.whoknows.stub.StubConfig;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the alert and recording rules and the dashboards read is exported by the real services:
 * the stub and the frontend (in front of it) run in-process, serve a little traffic of every kind, and
 * are scraped at the paths prometheus.yml scrapes. A renamed metric fails here, not silently on a graph.
 */
class MetricsExportedTest {
    /** Made by Prometheus itself for every target, not by the services. */
    private static final Set<String> FROM_PROMETHEUS = Set.of("up");
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyMetricUsedByRulesAndDashboardsIsExported(@TempDir Path workDir) throws Exception {
        Javalin stub = StubApp.create(StubConfig.defaults().withPort(0)).start();
        Javalin frontend = null;
        Set<String> exported = new TreeSet<>();
        try {
            frontend = FrontendApp.create(FrontendConfig.fromEnv(Map.of(
                    "FRONTEND_INTERNAL_PORT", "0",
                    "BACKEND_URL", "http://localhost:" + stub.port(),
                    "STATIC_DIR", Files.REPO.resolve("static").toString(),
                    "BUILD_VERSION", "monitoring-test"), workDir)).start();
            String fe = "http://localhost:" + frontend.port();
            for (String path : new String[] {"/", "/about", "/css/style.css", "/no-such-page", "/api/search?q=python",
                    "/api/search?q=qqqzzz&language=da", "/api/weather", "/api/session", "/api/nope", "/api/ready"}) {
                get(fe + path);
            }
            post(fe + "/api/login", "username=demo&password=demo1234");
            post(fe + "/api/login", "username=demo&password=wrong");
            post(fe + "/api/register", "username=monitor&email=m%40example.org&password=pw123456&password2=pw123456");

            exported.addAll(names(get("http://localhost:" + stub.port() + "/metrics")));
            // the backend gone: the frontend's backend-error metrics appear
            stub.stop();
            assertThat(status(fe + "/api/search?q=python")).isEqualTo(503);
            exported.addAll(names(get(fe + "/api/metrics")));
        } finally {
            if (frontend != null) {
                frontend.stop();
            }
            stub.stop();
        }

        Set<String> recorded = new TreeSet<>();
        Map<String, Set<String>> used = new TreeMap<>();
        for (var rule : Files.rules()) {
            if (rule.has("record")) {
                recorded.add(rule.path("record").asText());
            }
            String name = rule.has("alert") ? "alert " + rule.path("alert").asText() : "record " + rule.path("record").asText();
            PromQl.metricNames(rule.path("expr").asText()).forEach(m -> used.computeIfAbsent(m, k -> new TreeSet<>()).add(name));
        }
        Files.dashboardQueries().forEach((where, expr) ->
                PromQl.metricNames(expr).forEach(m -> used.computeIfAbsent(m, k -> new TreeSet<>()).add("dashboard " + where)));

        assertThat(used).as("metric names found in the rules and dashboards")
                .containsKeys("frontend_http_requests_total", "process_start_time_seconds", "stub_logins_total");
        Map<String, Set<String>> missing = new TreeMap<>(used);
        missing.keySet().removeAll(exported);
        missing.keySet().removeAll(recorded);
        missing.keySet().removeAll(FROM_PROMETHEUS);
        assertThat(missing).as("metrics used but exported by neither service (name -> where used)").isEmpty();
    }

    private static Set<String> names(String scrape) {
        Set<String> names = new TreeSet<>();
        Matcher m = SAMPLE.matcher(scrape);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private String get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private int status(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private void post(String url, String form) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.discarding());
    }
}
