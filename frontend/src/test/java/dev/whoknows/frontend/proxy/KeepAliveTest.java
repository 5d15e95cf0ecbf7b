package dev.whoknows.frontend.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.frontend.TestFrontend;
import dev.whoknows.stub.StubApp;
import dev.whoknows.stub.StubConfig;
import dev.whoknows.testsupport.http.RawHttp;
import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One client connection carrying many requests, in front of the real stub. A proxied answer is written on
 * another thread than the one that read its request, so the connection then goes on from that thread (with
 * virtual threads, on the one that wrote the answer: FrontendApp's pool); the next request on the same
 * connection, already sent or not yet, must be read and answered like the first, whichever path answers it.
 */
class KeepAliveTest {

    static final Javalin stub = StubApp.create(
                    StubConfig.fromEnv(Map.of("BACKEND_INTERNAL_PORT", "0", "LOG_LEVEL", "warn")))
            .start();

    @RegisterExtension
    static final TestFrontend frontend =
            TestFrontend.extension().backend("http://localhost:" + stub.port()).build();

    @AfterAll
    static void stopStub() {
        stub.stop();
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static byte[] get(String target, String requestId) {
        return ("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: " + requestId + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** What each target answers on a fresh connection: the body a kept-alive connection must give too. */
    private static final List<String> TARGETS =
            List.of("/api/search?q=docker", "/static/css/style.css", "/api/search?q=the", "/login", "/api/health");

    @Test
    void oneConnectionCarriesManyRequestsOnEveryPath() throws IOException {
        try (RawHttp.Connection connection = RawHttp.Connection.open("localhost", frontend.port(), TIMEOUT)) {
            for (int i = 0; i < 150; i++) {
                String target = TARGETS.get(i % TARGETS.size());
                RawHttp.Response answer = connection.exchange(get(target, "keep-" + i), false);
                assertThat(answer.outcome()).as("request %d, %s", i, target).isEqualTo(RawHttp.Outcome.COMPLETE);
                assertThat(answer.status()).as("request %d, %s", i, target).isEqualTo(200);
                assertThat(answer.header("X-Request-Id")).as("request %d", i).hasValue("keep-" + i);
                assertThat(answer.header("Connection")).as("request %d", i).isEmpty();
                assertThat(answer.body()).as("request %d, %s", i, target).isNotEmpty();
                if (target.startsWith("/api/search")) {
                    assertThat(answer.bodyText()).as("request %d", i).startsWith("{\"data\":[");
                }
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheirOrder() throws IOException {
        List<String> sent = new ArrayList<>();
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        for (int round = 0; round < 4; round++) {
            for (String target : TARGETS) {
                String id = "pipe-" + sent.size();
                requests.writeBytes(get(target, id));
                sent.add(id + " " + target);
            }
        }
        requests.writeBytes(("GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: pipe-last\r\n"
                        + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        sent.add("pipe-last /api/health");
        try (RawHttp.Connection connection = RawHttp.Connection.open("localhost", frontend.port(), TIMEOUT)) {
            // all of them in one write: each next request is already read when the one before it ends
            connection.send(requests.toByteArray());
            for (String expected : sent) {
                RawHttp.Response answer = connection.next(false);
                assertThat(answer.outcome()).as(expected).isEqualTo(RawHttp.Outcome.COMPLETE);
                assertThat(answer.status()).as(expected).isEqualTo(200);
                assertThat(answer.header("X-Request-Id"))
                        .as(expected)
                        .hasValue(expected.substring(0, expected.indexOf(' ')));
                if (expected.contains("/api/search")) {
                    assertThat(answer.bodyText()).as(expected).startsWith("{\"data\":[");
                }
            }
            assertThat(connection.next(false).outcome())
                    .as("one answer per request, then the frontend closes: nothing more")
                    .isEqualTo(RawHttp.Outcome.CLOSED_WITHOUT_RESPONSE);
        }
    }
}
