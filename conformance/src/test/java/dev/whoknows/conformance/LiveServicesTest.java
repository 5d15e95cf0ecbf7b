package dev.whoknows.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.conformance.contract.Contract;
import dev.whoknows.frontend.FrontendApp;
import dev.whoknows.frontend.FrontendConfig;
import dev.whoknows.stub.StubApp;
import dev.whoknows.stub.StubConfig;
import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real stub, and the real frontend in front of it, both in-process: the tool must find nothing. */
class LiveServicesTest {
    static Javalin stub;
    static Javalin frontend;

    @BeforeAll
    static void start(@TempDir Path work) {
        stub = StubApp.create(StubConfig.defaults().withPort(0)).start();
        Path staticDir = Path.of(System.getProperty("conformance.staticDir", "../static"));
        assertThat(staticDir.resolve("index.html"))
                .as("the project's static/ folder")
                .exists();
        frontend = FrontendApp.create(FrontendConfig.fromEnv(
                        Map.of(
                                "FRONTEND_INTERNAL_PORT",
                                "0",
                                "STATIC_DIR",
                                staticDir.toAbsolutePath().toString(),
                                "BACKEND_URL",
                                "http://localhost:" + stub.port(),
                                "LOG_LEVEL",
                                "warn"),
                        work))
                .start();
    }

    @AfterAll
    static void stop() {
        if (frontend != null) {
            frontend.stop();
        }
        if (stub != null) {
            stub.stop();
        }
    }

    @Test
    void theStubHasNoFindings(@TempDir Path dir) {
        Conform.Result result = Conform.run(dir, "http://localhost:" + stub.port(), "--rate", "1000");

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.failed()).isEmpty();
        assertThat(result.outcomes()).containsEntry("pages", "SKIP").containsEntry("double-slash", "SKIP");
        assertThat(result.outcomes().values()).filteredOn("PASS"::equals).hasSize(10);
        assertThat(result.out()).contains("checks: 10 passed, 0 failed, 2 skipped; 0 findings; 56 requests");
    }

    @Test
    void theFrontendInFrontOfTheStubHasNoFindings(@TempDir Path dir) {
        // a base URL ending in '/', as some teams give it to the simulator
        Conform.Result result = Conform.run(
                dir, "--base-url", "http://localhost:" + frontend.port() + "/", "--frontend", "--rate", "1000");

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).contains("checks: 12 passed, 0 failed, 0 skipped; 0 findings; 67 requests");
        assertThat(result.outcomes()).hasSize(12);
        // every operation of the course contract was exercised: each has its line in the route table
        for (Contract.Operation op : Contract.bundled().operations()) {
            assertThat(result.out())
                    .as(op.toString())
                    .containsPattern("(?m)^" + op.method() + " " + op.path() + " +\\d+ ");
        }
        assertThat(result.outcomes()).containsEntry("pages", "PASS").containsEntry("session", "PASS");
    }

    @Test
    void everyRouteHasItsSlowestAnswerInTheSummary(@TempDir Path dir) throws Exception {
        Conform.Result result =
                Conform.run(dir, "http://localhost:" + stub.port(), "--rate", "1000", "--only", "search", "weather");

        assertThat(result.exit()).isZero();
        assertThat(result.out())
                .containsPattern("GET /api/search +3 +[\\d.]+ m?s +6\\.00 s")
                .containsPattern("GET /api/weather +1 +[\\d.]+ m?s +6\\.00 s");
        assertThat(Files.list(dir)).hasSize(1);
    }
}
