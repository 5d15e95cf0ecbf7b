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
import java.util.ArrayList;
import java.util.List;
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

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyMetricUsedByRulesAndDashboardsIsExported(@TempDir Path workDir) throws Exception {
        Javalin stub = StubApp.create(StubConfig.defaults().withPort(0)).start();
        Javalin frontend = null;
        Set<String> exported = new TreeSet<>();
        StringBuilder scrapes = new StringBuilder();
        try {
            frontend = FrontendApp.create(FrontendConfig.fromEnv(
                            Map.of(
                                    "FRONTEND_INTERNAL_PORT",
                                    "0",
                                    "BACKEND_URL",
                                    "http://localhost:" + stub.port(),
                                    "STATIC_DIR",
                                    Files.REPO.resolve("static").toString(),
                                    "BUILD_VERSION",
                                    "monitoring-test"),
                            workDir))
                    .start();
            String fe = "http://localhost:" + frontend.port();
            for (String path : new String[] {
                "/",
                "/about",
                "/css/style.css",
                "/no-such-page",
                "/api/search?q=python",
                "/api/search?q=qqqzzz&language=da",
                "/api/weather",
                "/api/session",
                "/api/nope",
                "/api/ready"
            }) {
                get(fe + path);
            }
            post(fe + "/api/login", "username=demo&password=demo1234");
            post(fe + "/api/login", "username=demo&password=wrong");
            post(fe + "/api/register", "username=monitor&email=m%40example.org&password=pw123456&password2=pw123456");

            scrapes.append(get("http://localhost:" + stub.port() + "/metrics"));
            // the backend gone: the frontend's backend-error metrics appear
            stub.stop();
            assertThat(status(fe + "/api/search?q=python")).isEqualTo(503);
            scrapes.append(get(fe + "/api/metrics"));
        } finally {
            if (frontend != null) {
                frontend.stop();
            }
            stub.stop();
        }

        exported.addAll(names(scrapes.toString()));
        Set<String> recorded = new TreeSet<>();
        Map<String, Set<String>> used = new TreeMap<>();
        for (var rule : Files.rules()) {
            if (rule.has("record")) {
                recorded.add(rule.path("record").asText());
            }
            String name = rule.has("alert")
                    ? "alert " + rule.path("alert").asText()
                    : "record " + rule.path("record").asText();
            PromQl.metricNames(rule.path("expr").asText())
                    .forEach(m -> used.computeIfAbsent(m, k -> new TreeSet<>()).add(name));
        }
        Files.dashboardQueries()
                .forEach((where, expr) -> PromQl.metricNames(expr)
                        .forEach(m ->
                                used.computeIfAbsent(m, k -> new TreeSet<>()).add("dashboard " + where)));

        assertThat(used)
                .as("metric names found in the rules and dashboards")
                .containsKeys("frontend_http_requests_total", "process_start_time_seconds", "stub_logins_total");
        Map<String, Set<String>> missing = new TreeMap<>(used);
        missing.keySet().removeAll(exported);
        missing.keySet().removeAll(recorded);
        missing.keySet().removeAll(FROM_PROMETHEUS);
        assertThat(missing)
                .as("metrics used but exported by neither service (name -> where used)")
                .isEmpty();

        // label values too: a selector such as bucket{class="page",le="0.1"} must match an exported sample
        List<String> expressions = new ArrayList<>();
        Files.rules().forEach(rule -> expressions.add(rule.path("expr").asText()));
        expressions.addAll(Files.dashboardQueries().values());
        List<String> samples = scrapes.toString()
                .lines()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .toList();
        Set<String> unmatched = new TreeSet<>();
        int checked = 0;
        for (String expr : expressions) {
            Matcher selector = SELECTOR.matcher(expr);
            while (selector.find()) {
                String metric = selector.group(1);
                if (FROM_PROMETHEUS.contains(metric) || recorded.contains(metric)) {
                    continue;
                }
                List<Pattern> wanted = new ArrayList<>();
                Matcher matcher = MATCHER.matcher(selector.group(2));
                while (matcher.find()) {
                    if (!Set.of("job", "instance").contains(matcher.group(1))
                            && !matcher.group(2).startsWith("!")) {
                        String value =
                                matcher.group(2).equals("=") ? Pattern.quote(matcher.group(3)) : matcher.group(3);
                        wanted.add(
                                Pattern.compile("[{,]" + Pattern.quote(matcher.group(1)) + "=\"(?:" + value + ")\""));
                    }
                }
                checked++;
                boolean found = samples.stream()
                        .anyMatch(line -> (line.startsWith(metric + "{") || line.startsWith(metric + " "))
                                && wanted.stream().allMatch(p -> p.matcher(line).find()));
                if (!found) {
                    unmatched.add(selector.group());
                }
            }
        }
        assertThat(checked).isGreaterThan(20);
        assertThat(unmatched)
                .as("selectors that match no exported sample (a renamed label value?)")
                .isEmpty();
    }

    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
    private static final Pattern MATCHER =
            Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static Set<String> names(String scrape) {
        Set<String> names = new TreeSet<>();
        Matcher m = SAMPLE.matcher(scrape);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private String get(String url) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private int status(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private void post(String url, String form) throws Exception {
        http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }
}
