package dev.whoknows.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Grafana's provisioning files and the compose profile that mounts them, checked as files (no Grafana
 * image can be had here; the GitHub workflow starts a real Grafana), and the README's runbook.
 */
class ProvisioningTest {
    private static final JsonNode COMPOSE = Files.yaml(Files.REPO.resolve("docker-compose.yml"));

    private static JsonNode service(String name) {
        JsonNode service = COMPOSE.path("services").path(name);
        assertThat(service.isMissingNode())
                .as("docker-compose.yml has a service " + name)
                .isFalse();
        return service;
    }

    /** The container path a host folder of this repository is mounted at, read-only. */
    private static String mountPoint(JsonNode service, String hostPath) {
        for (JsonNode volume : service.path("volumes")) {
            String[] parts = volume.asText().split(":");
            if (parts.length == 3 && parts[0].equals(hostPath) && parts[2].equals("ro")) {
                return parts[1];
            }
        }
        throw new AssertionError(service + " does not mount " + hostPath + " read-only");
    }

    @Test
    void datasourcePointsAtTheComposePrometheus() {
        JsonNode sources = Files.yaml(Files.GRAFANA.resolve("provisioning/datasources/prometheus.yml"));
        assertThat(sources.path("apiVersion").asInt()).isEqualTo(1);
        assertThat(sources.path("datasources")).hasSize(1);
        JsonNode prometheus = sources.path("datasources").get(0);
        assertThat(prometheus.path("type").asText()).isEqualTo("prometheus");
        assertThat(prometheus.path("access").asText()).isEqualTo("proxy");
        assertThat(prometheus.path("isDefault").asBoolean()).isTrue();
        URI url = URI.create(prometheus.path("url").asText());
        assertThat(url.getHost()).isEqualTo("prometheus");
        assertThat(service("prometheus").path("command").toString()).contains("--web.listen-address=:" + url.getPort());
    }

    @Test
    void dashboardProviderReadsTheMountedDashboards() {
        JsonNode providers = Files.yaml(Files.GRAFANA.resolve("provisioning/dashboards/whoknows.yml"));
        assertThat(providers.path("apiVersion").asInt()).isEqualTo(1);
        JsonNode provider = providers.path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        JsonNode grafana = service("grafana");
        assertThat(provider.path("options").path("path").asText())
                .isEqualTo(mountPoint(grafana, "./monitoring/grafana/dashboards"));
        assertThat(mountPoint(grafana, "./monitoring/grafana/provisioning")).isEqualTo("/etc/grafana/provisioning");
        assertThat(grafana.path("environment")
                        .path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
                        .asText())
                .startsWith(provider.path("options").path("path").asText() + "/")
                .satisfies(p -> assertThat(Files.DASHBOARDS.resolve(Path.of(p).getFileName()))
                        .exists());
    }

    @Test
    void dashboardsAreWellFormedAndShowWhatTheIssueAsks() {
        String datasourceUid = Files.yaml(Files.GRAFANA.resolve("provisioning/datasources/prometheus.yml"))
                .path("datasources")
                .get(0)
                .path("uid")
                .asText();
        List<Path> dashboards = Files.list(Files.DASHBOARDS, ".json");
        assertThat(dashboards).isNotEmpty();
        Set<String> uids = new HashSet<>();
        List<String> titles = new ArrayList<>();
        for (Path file : dashboards) {
            JsonNode dashboard = Files.json(file);
            assertThat(uids.add(dashboard.path("uid").asText()))
                    .as(file + ": uid unique and set")
                    .isTrue();
            assertThat(dashboard.path("uid").asText()).isNotBlank();
            assertThat(dashboard.path("title").asText()).isNotBlank();
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : dashboard.path("panels")) {
                String where = file.getFileName() + " / " + panel.path("title").asText();
                assertThat(ids.add(panel.path("id").asInt()))
                        .as(where + ": panel id unique")
                        .isTrue();
                JsonNode grid = panel.path("gridPos");
                assertThat(grid.path("x").asInt() + grid.path("w").asInt())
                        .as(where + ": fits 24 columns")
                        .isLessThanOrEqualTo(24);
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                titles.add(panel.path("title").asText().toLowerCase());
                assertThat(panel.path("datasource").path("uid").asText())
                        .as(where + ": provisioned datasource")
                        .isEqualTo(datasourceUid);
                assertThat(panel.path("targets")).as(where + ": has queries").isNotEmpty();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("expr").asText())
                            .as(where + ": query")
                            .isNotBlank();
                }
            }
        }
        for (String topic : List.of(
                "requests per second",
                "error",
                "latency percentiles by route class",
                "backend errors",
                "in flight",
                "heap",
                "gc")) {
            assertThat(titles)
                    .as("a panel about " + topic)
                    .anySatisfy(t -> assertThat(t).contains(topic));
        }
    }

    @Test
    void monitoringProfileIsPinnedAndHardened() {
        for (String name : List.of("prometheus", "alertmanager", "grafana")) {
            JsonNode service = service(name);
            assertThat(service.path("profiles").toString()).as(name).isEqualTo("[\"monitoring\"]");
            assertThat(service.path("image").asText())
                    .as(name + " image pinned to a version")
                    .matches(".+:v?\\d+\\.\\d+\\.\\d+");
            assertThat(service.path("read_only").asBoolean())
                    .as(name + " read-only root fs")
                    .isTrue();
            assertThat(service.path("cap_drop").toString()).as(name).isEqualTo("[\"ALL\"]");
            assertThat(service.path("security_opt").toString()).as(name).contains("no-new-privileges:true");
            assertThat(service.path("user").asText())
                    .as(name + " runs as a non-root user")
                    .isNotBlank()
                    .doesNotStartWith("0");
            assertThat(service.path("mem_limit").asText()).as(name).isNotBlank();
            for (JsonNode port : service.path("ports")) {
                assertThat(port.asText())
                        .as(name + " published on loopback only")
                        .startsWith("127.0.0.1:");
            }
        }
        assertThat(service("prometheus").path("image").asText()).isEqualTo("prom/prometheus:v2.53.3");
        assertThat(service("alertmanager").path("image").asText()).isEqualTo("prom/alertmanager:v0.28.1");
        assertThat(mountPoint(service("prometheus"), "./monitoring/prometheus/rules"))
                .isEqualTo("/etc/prometheus/rules");
        assertThat(mountPoint(service("prometheus"), "./monitoring/prometheus/prometheus.yml"))
                .isEqualTo("/etc/prometheus/prometheus.yml");
        assertThat(mountPoint(service("alertmanager"), "./monitoring/alertmanager/alertmanager.yml"))
                .isEqualTo("/etc/alertmanager/alertmanager.yml");
        // the scrape targets are the compose services
        JsonNode scrape = Files.yaml(Files.PROMETHEUS.resolve("prometheus.yml")).path("scrape_configs");
        Set<String> targets = new TreeSet<>();
        scrape.forEach(job ->
                job.path("static_configs").forEach(c -> c.path("targets").forEach(t -> targets.add(t.asText()))));
        assertThat(targets).contains("frontend:8080", "backend:5050");
        assertThat(service("frontend")
                        .path("environment")
                        .path("FRONTEND_INTERNAL_PORT")
                        .asText())
                .isEqualTo("8080");
        assertThat(service("backend")
                        .path("environment")
                        .path("BACKEND_INTERNAL_PORT")
                        .asText())
                .isEqualTo("5050");
    }

    @Test
    void readmeHasARunbookLineForEveryAlert() throws IOException {
        String readme = java.nio.file.Files.readString(Files.REPO.resolve("README.md"));
        int start = readme.indexOf("\n## Monitoring");
        assertThat(start).as("README has a '## Monitoring' section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 5);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Set<String> alerts = new TreeSet<>();
        Files.rules().stream()
                .filter(r -> r.has("alert"))
                .forEach(r -> alerts.add(r.path("alert").asText()));
        for (String alert : alerts) {
            assertThat(section).as("README Monitoring section names " + alert).contains("`" + alert + "`");
        }
    }
}
