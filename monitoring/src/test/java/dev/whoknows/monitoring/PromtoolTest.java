package dev.whoknows.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** promtool and amtool on the files of this folder, and the rule unit tests. */
class PromtoolTest {

    @Test
    void prometheusConfigIsValidAndLoadsTheRules() {
        Tool.Result result = Tool.PROMTOOL.run("check", "config", "prometheus/prometheus.yml");
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 2 rule files found");
    }

    @Test
    void kubernetesScrapeConfigIsValid() {
        Tool.Result result = Tool.PROMTOOL.run("check", "config", "prometheus/kubernetes.yml");
        if (result.output().contains("kubernetes_sd_configs not found")) {
            String why = "this promtool is built without Kubernetes service discovery (Debian's is);"
                    + " the monitoring smoke test checks kubernetes.yml with the prom/prometheus image";
            System.out.println("WARN: " + why + "; check skipped");
            Assumptions.abort(why);
        }
        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    void rulesAreValid() {
        List<String> args = new ArrayList<>(List.of("check", "rules"));
        Files.list(Files.RULES, ".yml")
                .forEach(f -> args.add(Files.ROOT.relativize(f).toString()));
        Tool.Result result = Tool.PROMTOOL.run(args.toArray(String[]::new));
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).doesNotContain("FAILED");
    }

    @Test
    void ruleUnitTestsPass() {
        Tool.Result result = Tool.PROMTOOL.run("test", "rules", "prometheus/tests/rules.test.yml");
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    /** Each alert has a unit test case where it fires and one where it stays quiet. */
    @Test
    void everyAlertIsProvenToFireAndToStayQuiet() {
        Set<String> alerts = new TreeSet<>();
        Files.rules().stream()
                .filter(r -> r.has("alert"))
                .forEach(r -> alerts.add(r.path("alert").asText()));
        Set<String> fires = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (JsonNode test : Files.yaml(Files.RULE_TESTS).path("tests")) {
            for (JsonNode c : test.path("alert_rule_test")) {
                (c.path("exp_alerts").isEmpty() ? quiet : fires)
                        .add(c.path("alertname").asText());
            }
        }
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(10);
        assertThat(fires).as("alerts with a test case where they fire").containsAll(alerts);
        assertThat(quiet).as("alerts with a test case where they stay quiet").containsAll(alerts);
    }

    /** The harness is not blind: a rule test with a wrong expectation fails. */
    @Test
    void aWrongExpectationFails(@TempDir Path dir) throws IOException {
        Path test = dir.resolve("wrong.test.yml");
        java.nio.file.Files.writeString(test, """
                rule_files: [%s]
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'up{job="backend",instance="backend:5050"}'
                        values: '0x10'
                    alert_rule_test:
                      - eval_time: 5m
                        alertname: WhoKnowsServiceDown
                        exp_alerts: []
                """.formatted(Files.RULES.resolve("alerts.yml")));
        Tool.Result result = Tool.PROMTOOL.run("test", "rules", test.toString());
        assertThat(result.exit()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("FAILED", "WhoKnowsServiceDown");
    }

    /** Every dashboard query parses: promtool checks each as the expression of a recording rule. */
    @Test
    void dashboardQueriesParse(@TempDir Path dir) throws IOException {
        Map<String, String> queries = Files.dashboardQueries();
        assertThat(queries).isNotEmpty();
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        int n = 0;
        for (String expr : queries.values()) {
            rules.append("      - record: dashboard_query_")
                    .append(n++)
                    .append("\n        expr: '")
                    .append(expr.replace("'", "''"))
                    .append("'\n");
        }
        Path file = dir.resolve("dashboard-queries.yml");
        java.nio.file.Files.writeString(file, rules);
        Tool.Result result = Tool.PROMTOOL.run("check", "rules", file.toString());
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + queries.size() + " rules found");
    }

    /** Every alert of the rules, by its severity, reaches the webhook receiver a user replaces. */
    @Test
    void everyAlertIsRoutedToTheTeamReceiver() {
        Set<String> severities = new TreeSet<>();
        Files.rules().stream()
                .filter(r -> r.has("alert"))
                .forEach(r -> severities.add(r.path("labels").path("severity").asText()));
        assertThat(severities).containsExactly("critical", "warning");
        for (String severity : severities) {
            Tool.Result result = Tool.AMTOOL.run(
                    "config",
                    "routes",
                    "test",
                    "--config.file=alertmanager/alertmanager.yml",
                    "--verify.receivers=team",
                    "severity=" + severity,
                    "alertname=WhoKnowsServiceDown",
                    "job=backend");
            assertThat(result.exit()).as(severity + ": " + result.output()).isZero();
        }
        Tool.Result wrong = Tool.AMTOOL.run(
                "config",
                "routes",
                "test",
                "--config.file=alertmanager/alertmanager.yml",
                "--verify.receivers=nobody",
                "severity=critical");
        assertThat(wrong.exit())
                .as("amtool notices a wrong receiver: " + wrong.output())
                .isNotZero();
    }

    @Test
    void alertmanagerConfigIsValid() {
        Tool.Result result = Tool.AMTOOL.run("check-config", "alertmanager/alertmanager.yml");
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }
}
