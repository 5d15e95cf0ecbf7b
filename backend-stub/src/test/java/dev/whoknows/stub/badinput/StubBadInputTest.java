package dev.whoknows.stub.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.stub.StubApp;
import dev.whoknows.stub.StubConfig;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every corpus row with a stub expectation, sent byte-for-byte to the real stub backend. */
class StubBadInputTest {

    private static Javalin stub;
    private static Tripwire elsewhere;

    @BeforeAll
    static void start() throws Exception {
        elsewhere = new Tripwire();
        stub = StubApp.create(StubConfig.fromEnv(Map.of("BACKEND_INTERNAL_PORT", "0", "LOG_LEVEL", "warn")))
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stub != null) {
            stub.stop();
        }
        elsewhere.close();
    }

    @TestFactory
    Stream<DynamicTest> corpus() {
        String self = "127.0.0.1:" + stub.port();
        Stream<DynamicTest> rows = Corpus.load().stream()
                .filter(row -> !row.stub().isEmpty())
                .map(row -> DynamicTest.dynamicTest(row.name(), () -> {
                    RawHttp.Response response = RawHttp.exchange(
                            "127.0.0.1",
                            stub.port(),
                            row.request(self, elsewhere.hostPort()),
                            Duration.ofSeconds(10),
                            row.head());
                    BadInputChecks.verify(row, row.stub(), response);
                }));
        return Stream.concat(
                rows,
                Stream.of(DynamicTest.dynamicTest(
                        "nothing reached another host",
                        () -> assertThat(elsewhere.hits())
                                .as("connections to the 'elsewhere' server")
                                .isEmpty())));
    }
}
