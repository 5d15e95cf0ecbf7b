package dev.whoknows.testsupport.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.whoknows.testsupport.http.ScriptedServer;
import dev.whoknows.testsupport.http.ScriptedServer.End;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;

/** One dynamic test per row for the chosen service, each running the corpus checks and then the caller's. */
class CorpusRunnerTest {
    private static final String JSON_400 = "{\"statusCode\":400,\"message\":\"no Host header\"}";

    @Test
    void eachRowOfTheColumnIsATestThatSendsItsBytesAndRunsBothChecks() throws Throwable {
        AtomicInteger checked = new AtomicInteger();
        AtomicInteger before = new AtomicInteger();
        try (ScriptedServer server = new ScriptedServer(
                "HTTP/1.1 400 Bad Request\r\nContent-Length: " + JSON_400.length() + "\r\n\r\n" + JSON_400,
                End.CLOSE)) {
            Map<String, DynamicTest> tests = CorpusRunner.run(
                            server.port(),
                            Corpus.Row::frontend,
                            CorpusRunner.NOWHERE,
                            before::incrementAndGet,
                            (row, answer) -> {
                                assertThat(answer.bodyText()).isEqualTo(JSON_400);
                                checked.incrementAndGet();
                            })
                    .collect(Collectors.toMap(DynamicTest::getDisplayName, t -> t));
            List<Corpus.Row> frontendRows =
                    Corpus.load().stream().filter(r -> !r.frontend().isEmpty()).toList();
            assertThat(tests).hasSameSizeAs(frontendRows);

            assertThatCode(() -> tests.get("host-missing").getExecutable().execute())
                    .doesNotThrowAnyException();
            assertThat(server.requests()).singleElement().asString().doesNotContain("Host:");
            assertThat(checked).hasValue(1);
            assertThatThrownBy(() -> tests.get("search-empty").getExecutable().execute())
                    .as("a 400 where the row expects 200")
                    .hasMessageContaining("status");
            assertThat(checked)
                    .as("the caller's check runs after the corpus checks pass")
                    .hasValue(1);
        }
    }

    @Test
    void theTripwireRecordsEveryConnection() throws IOException {
        try (Tripwire tripwire = new Tripwire()) {
            assertThat(tripwire.hits()).isEmpty();
            String[] hostPort = tripwire.hostPort().split(":", -1);
            try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
                socket.getOutputStream().write("GET /leak".getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = socket.getInputStream();
                assertThat(in.read()).as("the tripwire closes after recording").isEqualTo(-1);
            }
            assertThat(tripwire.hits()).singleElement().asString().startsWith("GET /leak");
        }
    }
}
