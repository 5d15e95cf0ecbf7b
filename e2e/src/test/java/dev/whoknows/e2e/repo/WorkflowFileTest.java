package dev.whoknows.e2e.repo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The GitHub Actions workflow cannot run on this machine, so this test reads it as YAML and checks what it does:
 * it runs every check that .ci/run runs (read from .ci/run itself, with the same REQUIRE switches), installs the
 * browser before the tests, lints the Dockerfiles, scans the images failing on CRITICAL, pins every action by
 * commit SHA, asks each job for only the permissions it uses, names no registry host, and pushes both images
 * with Jib only from the default branch, after the checks, when a registry is configured.
 */
class WorkflowFileTest {

    private static final Pattern REPO_COMMAND = Pattern.compile(
            "(?:^|\\s)((?:\\./mvnw|\\.ci/[\\w.-]+|bench/[\\w.-]+|docker/[\\w./-]+|deploy/[\\w./-]+|monitoring/[\\w./-]+)(?:\\s+[^\\s;|&]+)*)");
    private static final Pattern ASSIGNMENT = Pattern.compile("(?:export\\s+)?([A-Z][A-Z0-9_]*)=(\\S+)");

    private static Path root;
    private static JsonNode workflow;
    private static String workflowText;

    @BeforeAll
    static void readWorkflow() throws IOException {
        root = repositoryRoot();
        workflowText = Files.readString(root.resolve(".github/workflows/ci.yml"));
        workflow = new ObjectMapper(new YAMLFactory()).readTree(workflowText);
        assertThat(workflow.isObject()).as("ci.yml is a YAML mapping").isTrue();
    }

    @Test
    void runsOnPushesAndPullRequests() {
        JsonNode on = workflow.get("on");
        assertThat(on).as("'on:' triggers").isNotNull();
        assertThat(on.has("push")).as("push trigger").isTrue();
        assertThat(on.has("pull_request")).as("pull_request trigger").isTrue();
    }

    @Test
    void runsEveryCheckThatCiRunRunsWithTheSameRequireSwitches() throws IOException {
        List<String> checks = new ArrayList<>();
        Map<String, String> exported = new LinkedHashMap<>();
        String ciRun = Files.readString(root.resolve(".ci/run"));
        // arrays .ci/run builds a command from, e.g. frontend_suite=(-B ... verify): "${name[@]}" stands for their
        // words
        Map<String, String> arrays = new LinkedHashMap<>();
        Matcher array = Pattern.compile("(?m)^\\s*(\\w+)=\\(([^)]*)\\)").matcher(ciRun);
        while (array.find()) {
            arrays.put(array.group(1), array.group(2).strip().replaceAll("\\s+", " "));
        }
        for (String raw : ciRun.lines().toList()) {
            String line = raw.strip();
            for (Map.Entry<String, String> a : arrays.entrySet()) {
                line = line.replace("\"${" + a.getKey() + "[@]}\"", a.getValue());
            }
            if (line.startsWith("#") || line.startsWith("step ") || line.startsWith("if ")) {
                continue;
            }
            Map<String, String> env = new LinkedHashMap<>(exported);
            Matcher assignment = ASSIGNMENT.matcher(line);
            while (assignment.find()) {
                env.put(assignment.group(1), assignment.group(2));
            }
            if (line.startsWith("export ")) {
                exported.putAll(env);
                continue;
            }
            Matcher command = REPO_COMMAND.matcher(line);
            if (!command.find()) {
                continue;
            }
            String cmd = command.group(1);
            checks.add(cmd);
            exported.clear(); // an export in .ci/run is set up for the check right after it
            List<JsonNode> steps = stepsRunning(cmd);
            assertThat(steps)
                    .as("a workflow step runs `%s` (as .ci/run does)", cmd)
                    .isNotEmpty();
            env.forEach((name, value) -> {
                if (name.contains("REQUIRE")) {
                    assertThat(steps)
                            .as("the step running `%s` sets %s=%s as .ci/run does", cmd, name, value)
                            .anyMatch(step -> value.equals(envOf(step, name)));
                }
            });
        }
        assertThat(checks)
                .as("checks found in .ci/run")
                .anyMatch(c -> c.startsWith("./mvnw") && c.endsWith("verify"))
                .anyMatch(c -> c.startsWith(".ci/lint.sh"))
                .anyMatch(c -> c.startsWith("bench/run.sh --smoke"))
                .anyMatch(c -> c.startsWith("docker/smoke-test.sh"))
                .anyMatch(c -> c.startsWith("deploy/swarm/smoke.sh"))
                .anyMatch(c -> c.startsWith("monitoring/smoke.sh"));
        assertThat(Files.isExecutable(root.resolve("docker/smoke-test.sh")))
                .as("docker/smoke-test.sh is executable")
                .isTrue();
    }

    @Test
    void installsChromiumAndItsDriverBeforeTheTestsThatRequireThem() {
        for (Map.Entry<String, JsonNode> job : entries(workflow.path("jobs"))) {
            List<String> runs = runCommands(job.getValue());
            int verify = indexOf(runs, "verify");
            if (verify < 0 || !runs.get(verify).contains("./mvnw")) {
                continue;
            }
            int install = indexOf(runs, "chromium-driver");
            assertThat(install)
                    .as("job %s installs chromium-driver before ./mvnw verify", job.getKey())
                    .isNotNegative()
                    .isLessThan(verify);
            assertThat(runs.get(install)).contains("apt-get install", " chromium ");
            return;
        }
        throw new AssertionError("no job runs ./mvnw ... verify");
    }

    @Test
    void lintsTheDockerfilesWithHadolint() {
        assertThat(allSteps())
                .as("a step runs hadolint")
                .anyMatch(step -> step.path("uses").asText("").startsWith("hadolint/hadolint-action@")
                        || step.path("run").asText("").contains("hadolint "));
    }

    @Test
    void scansBothImagesWithTrivyFailingOnCritical() {
        List<JsonNode> scans = allSteps().stream()
                .filter(step -> step.path("uses").asText("").startsWith("aquasecurity/trivy-action@"))
                .toList();
        assertThat(scans).as("Trivy steps").isNotEmpty();
        for (JsonNode scan : scans) {
            JsonNode with = scan.path("with");
            assertThat(with.path("severity").asText())
                    .as("severity of %s", scan)
                    .contains("CRITICAL");
            assertThat(with.path("exit-code").asText())
                    .as("exit-code of %s (fails the job)", scan)
                    .isEqualTo("1");
        }
        List<String> images = scans.stream()
                .map(s -> s.path("with").path("image-ref").asText())
                .toList();
        assertThat(images)
                .as("scanned images")
                .anyMatch(image -> image.contains("/frontend:"))
                .anyMatch(image -> image.contains("/backend-stub:"));
    }

    @Test
    void everyActionIsPinnedByCommitShaWithItsTagBeside() {
        List<String> unpinned = new ArrayList<>();
        allSteps().forEach(step -> {
            String uses = step.path("uses").asText("");
            if (!uses.isEmpty() && !uses.matches("[\\w.-]+/[\\w./-]+@[0-9a-f]{40}")) {
                unpinned.add(uses);
            }
        });
        assertThat(unpinned).as("actions not pinned by a full commit SHA").isEmpty();
        List<String> untagged = workflowText
                .lines()
                .filter(line -> line.strip().matches("(- )?uses: .*"))
                .filter(line -> !line.matches(".*@[0-9a-f]{40} # v?\\d[\\w.]*\\s*"))
                .toList();
        assertThat(untagged).as("uses: lines without a '# vX.Y.Z' tag comment").isEmpty();
    }

    @Test
    void eachJobAsksOnlyForThePermissionsItUses() {
        JsonNode top = workflow.path("permissions");
        assertThat(top.isObject() && top.isEmpty())
                .as("workflow-level permissions: {}")
                .isTrue();
        for (Map.Entry<String, JsonNode> job : entries(workflow.path("jobs"))) {
            JsonNode permissions = job.getValue().path("permissions");
            assertThat(permissions.isObject())
                    .as("job %s declares its permissions", job.getKey())
                    .isTrue();
            for (Map.Entry<String, JsonNode> permission : entries(permissions)) {
                boolean allowed = permission.getValue().asText().equals("read")
                        || permission.getValue().asText().equals("none")
                        || (job.getKey().equals("images") && permission.getKey().equals("packages"));
                assertThat(allowed)
                        .as("job %s: %s: %s", job.getKey(), permission.getKey(), permission.getValue())
                        .isTrue();
            }
        }
    }

    @Test
    void namesNoRegistryHost() {
        Matcher host = Pattern.compile("\\b[a-z0-9-]+(\\.[a-z0-9-]+)+(:\\d+)?/[a-z0-9._-]+")
                .matcher(workflowText);
        List<String> hosts = new ArrayList<>();
        while (host.find()) {
            hosts.add(host.group());
        }
        assertThat(hosts)
                .as("host names in ci.yml (the registry is the IMAGE_REGISTRY variable)")
                .isEmpty();
    }

    @Test
    void imagesJobPushesBothImagesWithJibFromTheDefaultBranchAfterTheChecksWhenARegistryIsSet() {
        JsonNode images = job("images");
        assertThat(images.path("needs").toString())
                .as("images job needs the checks")
                .contains("test", "containers");
        String condition = images.path("if").asText();
        assertThat(condition).as("images job condition").contains("push", "default_branch", "vars.IMAGE_REGISTRY");
        assertThat(images.path("permissions").path("packages").asText())
                .as("permission to push packages")
                .isEqualTo("write");

        String jib = jibCommand(images);
        Matcher modules = Pattern.compile("-pl (\\S+)").matcher(jib);
        assertThat(modules.find())
                .as("the Jib command names its modules: " + jib)
                .isTrue();
        assertThat(List.of(modules.group(1).split(",", -1)))
                .as("modules Jib builds")
                .contains("frontend", "backend-stub");
        assertThat(jib)
                .as("Jib's base is the runtime pushed before it, and the AOT cache is trained (-Pjib)")
                .contains("-Pjib", "-Djib.base.image=");
        assertThat(jib)
                .contains(
                        "jib:build",
                        "-Dimage.tag=\"$GITHUB_SHA\"",
                        "-Djib.to.tags=latest",
                        "-Dbuild.version=\"$GITHUB_SHA\"");
        assertThat(jib).as("authenticates").contains("-Djib.to.auth.username=", "-Djib.to.auth.password=");
        JsonNode push = stepsRunning("jib:build").get(0);
        assertThat(envOf(push, "IMAGE_REGISTRY"))
                .as("registry from the repository variable")
                .contains("vars.IMAGE_REGISTRY");
        assertThat(jib).contains("-Dimage.registry=");
        assertThat(envOf(push, "REGISTRY_TOKEN"))
                .as("token falls back to the workflow's own")
                .contains("secrets.GITHUB_TOKEN");
    }

    @Test
    void everyProjectPropertyTheJibStepSetsExistsInTheParentPom() throws IOException {
        String pom = Files.readString(root.resolve("pom.xml"));
        Matcher property = Pattern.compile("-D([a-z][\\w.]*)=").matcher(jibCommand(job("images")));
        List<String> missing = new ArrayList<>();
        while (property.find()) {
            String name = property.group(1);
            boolean jibOwn = name.startsWith("jib.") || name.equals("skipTests");
            if (!jibOwn && !pom.contains("<" + name + ">")) {
                missing.add(name);
            }
        }
        assertThat(missing)
                .as("properties set by the workflow but not defined in pom.xml (renamed?)")
                .isEmpty();
    }

    private static JsonNode job(String name) {
        JsonNode job = workflow.path("jobs").path(name);
        assertThat(job.isObject()).as("job '%s' in ci.yml", name).isTrue();
        return job;
    }

    private static List<JsonNode> allSteps() {
        List<JsonNode> steps = new ArrayList<>();
        workflow.path("jobs").forEach(job -> job.path("steps").forEach(steps::add));
        return steps;
    }

    /** Steps whose run text contains every word of the command (line continuations joined). */
    private static List<JsonNode> stepsRunning(String command) {
        List<String> words = List.of(command.split("\\s+"));
        List<JsonNode> found = new ArrayList<>();
        workflow.path("jobs")
                .forEach(job -> job.path("steps").forEach(step -> {
                    String run = step.path("run").asText("").replace("\\\n", " ");
                    if (!run.isEmpty()
                            && words.stream()
                                    .allMatch(w -> List.of(run.split("\\s+")).contains(w))) {
                        found.add(step);
                    }
                }));
        return found;
    }

    /** A variable as the step sees it: set inline in its run line, in the step's env, the job's or the workflow's. */
    private static String envOf(JsonNode step, String name) {
        Matcher inline = Pattern.compile("(?:^|\\s)" + name + "=(\\S+)")
                .matcher(step.path("run").asText(""));
        if (inline.find()) {
            return inline.group(1);
        }
        if (step.path("env").has(name)) {
            return step.path("env").path(name).asText();
        }
        for (JsonNode job : workflow.path("jobs")) {
            for (JsonNode candidate : job.path("steps")) {
                if (candidate == step && job.path("env").has(name)) {
                    return job.path("env").path(name).asText();
                }
            }
        }
        return workflow.path("env").path(name).asText(null);
    }

    private static List<Map.Entry<String, JsonNode>> entries(JsonNode node) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        entries.addAll(node.properties());
        return entries;
    }

    private static List<String> runCommands(JsonNode job) {
        List<String> runs = new ArrayList<>();
        job.path("steps").forEach(step -> runs.add(step.path("run").asText("")));
        return runs;
    }

    private static int indexOf(List<String> runs, String command) {
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).contains(command)) {
                return i;
            }
        }
        return -1;
    }

    private static String jibCommand(JsonNode job) {
        return runCommands(job).stream()
                .filter(run -> run.contains("jib:"))
                .findFirst()
                .map(run -> run.replace("\\\n", " ").replaceAll("[ \\t]+", " "))
                .orElseThrow(() -> new AssertionError("no step in job runs a jib: goal"));
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".github/workflows/ci.yml")) && Files.exists(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new AssertionError(
                "no .github/workflows/ci.yml above " + Path.of("").toAbsolutePath());
    }
}
