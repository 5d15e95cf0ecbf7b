package dev.whoknows.stub.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.whoknows.stub.StubApp;
import dev.whoknows.stub.StubConfig;
import dev.whoknows.testsupport.contract.ContractValidator;
import dev.whoknows.testsupport.corpus.BadInputChecks;
import dev.whoknows.testsupport.corpus.Corpus;
import dev.whoknows.testsupport.corpus.CorpusRunner;
import io.javalin.Javalin;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every row of the bad-input corpus (test-support's {@code /badinput/corpus.tsv}) with a stub
 * expectation, sent byte for byte to the real stub: besides the corpus's own checks, every answer is
 * JSON that matches the OpenAPI document (the route's documented response, or
 * {@code {"statusCode":N,"message":"…"}} naming what was wrong).
 *
 * <p>The stub calls no other host, so {@code ${elsewhere}} names an address nothing listens on; the
 * frontend's run of the corpus, a proxy, is the one with a tripwire there.
 */
class StubBadInputTest {

    private static final ContractValidator CONTRACT = new ContractValidator();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Javalin stub;

    @BeforeAll
    static void start() {
        stub = StubApp.create(StubConfig.fromEnv(Map.of("BACKEND_INTERNAL_PORT", "0", "LOG_LEVEL", "warn")))
                .start();
    }

    @AfterAll
    static void stop() {
        if (stub != null) {
            stub.stop();
        }
    }

    @TestFactory
    Stream<DynamicTest> corpus() {
        String self = "127.0.0.1:" + stub.port();
        return CorpusRunner.run(stub.port(), Corpus.Row::stub, CorpusRunner.NOWHERE, (row, answer) -> {
            if (BadInputChecks.isTunnelRefusal(row, answer)) {
                return; // Jetty's empty 400, before any handler runs (BadInputChecks says so too)
            }
            String where = row + " -> " + answer;
            assertThat(answer.header("Content-Type"))
                    .as("a JSON answer: %s", where)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            assertThat(answer.bodyText()).as("no HTML: %s", where).doesNotContainIgnoringCase("<html");
            assertThat(CONTRACT.validateAnswer(
                            row.method(),
                            row.requestTarget(self, CorpusRunner.NOWHERE),
                            answer.status(),
                            answer.bodyText()))
                    .as("matches the OpenAPI document: %s", where)
                    .isEmpty();
            if (answer.status() >= 400) {
                JsonNode error = JSON.readTree(answer.bodyText());
                if (answer.status() == 422 && error.has("detail")) {
                    // the course's validation error: {"detail":[{"loc":[...],"msg":"..."}]}, each naming a field
                    assertThat(error.path("detail"))
                            .as("a 422 lists what was wrong: %s", where)
                            .isNotEmpty()
                            .allSatisfy(d -> assertThat(d.path("msg").asText()).isNotBlank());
                } else {
                    assertThat(error.path("statusCode").asInt())
                            .as("the error carries its status: %s", where)
                            .isEqualTo(answer.status());
                    assertThat(error.path("message").asText())
                            .as("the error names what was wrong: %s", where)
                            .isNotBlank();
                }
            }
        });
    }
}
