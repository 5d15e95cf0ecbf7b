package dev.whoknows.e2e.repo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The GitHub Actions workflow cannot run on this machine, so this test reads it as YAML and checks the
 * steps it must have: the README's test command, the container smoke test, and on the default branch a
 * Jib push of both images to the GitHub container registry tagged with the commit SHA and latest.
 */
class WorkflowFileTest {

    private static Path root;
    private static JsonNode workflow;

    @BeforeAll
    static void readWorkflow() throws IOException {
        root = repositoryRoot();
        workflow = new ObjectMapper(new YAMLFactory()).readTree(root.resolve(".github/workflows/ci.yml").toFile());
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
    void testJobRunsTheReadmeTestCommandThenTheSmokeTest() {
        List<String> runs = runCommands(job("test"));
        int verify = indexOf(runs, "./mvnw -B -ntp verify");
        int smoke = indexOf(runs, "docker/smoke-test.sh");
        assertThat(verify).as("a step runs ./mvnw -B -ntp verify, in %s", runs).isNotNegative();
        assertThat(smoke).as("a step runs docker/smoke-test.sh after the tests, in %s", runs).isGreaterThan(verify);
        assertThat(Files.isExecutable(root.resolve("docker/smoke-test.sh"))).as("docker/smoke-test.sh is executable").isTrue();
    }

    @Test
    void imagesJobPushesBothImagesWithJibOnlyFromTheDefaultBranchAfterTheTests() {
        JsonNode images = job("images");
        assertThat(images.path("needs").toString()).as("images job needs the test job").contains("test");
        String condition = images.path("if").asText();
        assertThat(condition).as("images job condition").contains("push").contains("default_branch");
        assertThat(images.path("permissions").path("packages").asText()).as("permission to push packages").isEqualTo("write");

        String jib = jibCommand(images);
        assertThat(jib).contains("-pl frontend,backend-stub", "jib:build", "-Dimage.registry=\"ghcr.io/",
                "-Dimage.tag=\"$GITHUB_SHA\"", "-Djib.to.tags=latest", "-Dbuild.version=\"$GITHUB_SHA\"");
        assertThat(jib).as("authenticates with the workflow's token").contains("-Djib.to.auth.password=");
        String env = images.toString();
        assertThat(env).as("the token comes from secrets.GITHUB_TOKEN").contains("${{ secrets.GITHUB_TOKEN }}");
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
        assertThat(missing).as("properties set by the workflow but not defined in pom.xml (renamed?)").isEmpty();
    }

    @Test
    void everyActionIsPinnedToAVersion() {
        List<String> unpinned = new ArrayList<>();
        workflow.path("jobs").forEach(job -> job.path("steps").forEach(step -> {
            String uses = step.path("uses").asText("");
            if (!uses.isEmpty() && !uses.matches("[\\w.-]+/[\\w.-]+@[\\w.-]+")) {
                unpinned.add(uses);
            }
        }));
        assertThat(unpinned).as("actions without an @version").isEmpty();
    }

    private static JsonNode job(String name) {
        JsonNode job = workflow.path("jobs").path(name);
        assertThat(job.isObject()).as("job '%s' in ci.yml", name).isTrue();
        return job;
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
        throw new AssertionError("no .github/workflows/ci.yml above " + Path.of("").toAbsolutePath());
    }
}
