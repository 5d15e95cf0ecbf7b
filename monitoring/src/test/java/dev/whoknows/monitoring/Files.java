package dev.whoknows.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The monitoring files, read the way Prometheus, Alertmanager and Grafana read them. */
final class Files {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path REPO = ROOT.getParent();
    static final Path PROMETHEUS = ROOT.resolve("prometheus");
    static final Path RULES = PROMETHEUS.resolve("rules");
    static final Path RULE_TESTS = PROMETHEUS.resolve("tests/rules.test.yml");
    static final Path ALERTMANAGER = ROOT.resolve("alertmanager/alertmanager.yml");
    static final Path GRAFANA = ROOT.resolve("grafana");
    static final Path DASHBOARDS = GRAFANA.resolve("dashboards");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private Files() {}

    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = java.nio.file.Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every rule (alert or recording) of every file in rules/, as parsed YAML. */
    static List<JsonNode> rules() {
        List<JsonNode> all = new ArrayList<>();
        for (Path file : list(RULES, ".yml")) {
            for (JsonNode group : yaml(file).path("groups")) {
                group.path("rules").forEach(all::add);
            }
        }
        return all;
    }

    /** Each dashboard query, keyed by "dashboard file / panel title / refId". */
    static Map<String, String> dashboardQueries() {
        Map<String, String> queries = new LinkedHashMap<>();
        for (Path file : list(DASHBOARDS, ".json")) {
            for (JsonNode panel : json(file).path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    queries.put(
                            file.getFileName() + " / " + panel.path("title").asText() + " / "
                                    + target.path("refId").asText(),
                            target.path("expr").asText());
                }
            }
        }
        return queries;
    }
}
