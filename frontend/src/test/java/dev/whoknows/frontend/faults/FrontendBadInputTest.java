package dev.whoknows.frontend.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.stub.StubApp;
import dev.whoknows.stub.StubConfig;
import dev.whoknows.testsupport.corpus.Corpus;
import dev.whoknows.testsupport.corpus.CorpusRunner;
import dev.whoknows.testsupport.corpus.Tripwire;
import io.javalin.Javalin;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The bad-input corpus (test-support resource {@code /badinput/corpus.tsv}) sent byte-for-byte to
 * the real frontend, in front of the real stub. Between them a recording TCP relay shows what
 * the frontend forwarded: only {@code /api/} paths without dot segments may ever reach BACKEND_URL,
 * and nothing may reach any other host.
 */
class FrontendBadInputTest {

    private static Javalin stub;
    private static RecordingRelay recorder;
    private static Javalin frontend;
    private static Tripwire elsewhere;

    @BeforeAll
    static void start() throws Exception {
        elsewhere = new Tripwire();
        stub = StubApp.create(StubConfig.fromEnv(Map.of("BACKEND_INTERNAL_PORT", "0", "LOG_LEVEL", "warn")))
                .start();
        recorder = new RecordingRelay(stub.port());
        frontend = Harness.startFrontend(recorder.url());
    }

    @AfterAll
    static void stop() throws Exception {
        if (frontend != null) {
            frontend.stop();
        }
        if (recorder != null) {
            recorder.close();
        }
        if (stub != null) {
            stub.stop();
        }
        elsewhere.close();
    }

    @TestFactory
    Stream<DynamicTest> corpus() {
        Stream<DynamicTest> rows = CorpusRunner.run(
                frontend.port(), Corpus.Row::frontend, elsewhere.hostPort(), recorder::clear, (row, response) -> {
                    for (String requestLine : recorder.requestLines()) {
                        assertForwardedPathIsSafe(row, requestLine.split(" ")[1]);
                    }
                });
        return Stream.concat(
                rows,
                Stream.of(DynamicTest.dynamicTest(
                        "nothing reached another host",
                        () -> assertThat(elsewhere.hits())
                                .as("connections to the 'elsewhere' server")
                                .isEmpty())));
    }

    private static void assertForwardedPathIsSafe(Corpus.Row row, String url) {
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        String decoded = path;
        for (int i = 0; i < 3; i++) {
            try {
                decoded = URLDecoder.decode(decoded.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                break; // stray % signs: keep what decoded so far
            }
        }
        assertThat(path).as("%s: forwarded path %s", row, url).startsWith("/api/");
        assertThat((decoded + "/").replace('\\', '/'))
                .as("%s: forwarded path %s has no dot segments", row, url)
                .doesNotContain("/../")
                .doesNotContain("/./")
                .doesNotContain("//");
    }
}
