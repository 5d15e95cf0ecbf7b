package dev.whoknows.frontend.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.whoknows.testsupport.http.RawHttp;
import dev.whoknows.testsupport.http.RawHttp.Outcome;
import io.javalin.Javalin;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A backend that answers garbage, resets, or closes part-way: the client gets a 502 JSON error, or,
 * when the status line was already passed on, a response whose framing shows it was cut short.
 * Never a hang, never a truncated body dressed up as a complete one.
 */
@Timeout(30)
class BrokenBackendTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OK_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";
    private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(Harness.CALL_TIMEOUT_MS + 3_000);

    /** Cases where nothing usable came back before the failure: the answer is a 502 JSON error. */
    static Stream<Arguments> beforeHeaders() {
        return Stream.of(
                Arguments.of("not HTTP at all, then close", RawBackend.send("SSH-2.0-OpenSSH_9.2\r\n", false)),
                Arguments.of("not HTTP, connection kept open", RawBackend.sendThenStall("this is not http\r\n\r\n")),
                Arguments.of("a body without a status line", RawBackend.send("{\"data\":[]}", false)),
                Arguments.of("reset right after the request", RawBackend.send("", true)),
                Arguments.of("close right after the request", RawBackend.send("", false)),
                Arguments.of("close in the middle of the headers", RawBackend.send(OK_HEAD + "Content-Le", false)),
                Arguments.of("reset in the middle of the headers", RawBackend.send(OK_HEAD + "Content-Le", true)),
                Arguments.of(
                        "status code out of range",
                        RawBackend.send("HTTP/1.1 999 Odd\r\nContent-Length: 0\r\n\r\n", false)),
                Arguments.of(
                        "non-numeric Content-Length",
                        RawBackend.send(OK_HEAD + "Content-Length: lots\r\n\r\n{}", false)),
                Arguments.of(
                        "Content-Length with a sign", RawBackend.send(OK_HEAD + "Content-Length: +2\r\n\r\n{}", false)),
                Arguments.of(
                        "a header name that is not a token",
                        RawBackend.send(OK_HEAD + "X(Bad): 1\r\nContent-Length: 2\r\n\r\n{}", false)),
                Arguments.of(
                        "header line without a colon",
                        RawBackend.send(OK_HEAD + "Broken header\r\nContent-Length: 2\r\n\r\n{}", false)),
                Arguments.of(
                        "a response header larger than the frontend can pass on",
                        RawBackend.send(
                                OK_HEAD + "X-Huge: " + "a".repeat(64 * 1024) + "\r\nContent-Length: 2\r\n\r\n{}",
                                false)));
    }

    /** Cases where the status line and headers were fine and the body broke. */
    static Stream<Arguments> midBody() {
        String partial = "{\"data\":[" + "{\"title\":\"x\"},".repeat(200);
        return Stream.of(
                Arguments.of(
                        "close mid-body (Content-Length)",
                        RawBackend.send(OK_HEAD + "Content-Length: 100000\r\n\r\n" + partial, false)),
                Arguments.of(
                        "reset mid-body (Content-Length)",
                        RawBackend.send(OK_HEAD + "Content-Length: 100000\r\n\r\n" + partial, true)),
                Arguments.of(
                        "close mid-body (chunked)",
                        RawBackend.send(
                                OK_HEAD + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(partial.length())
                                        + "\r\n" + partial + "\r\n",
                                false)),
                Arguments.of(
                        "close inside a chunk",
                        RawBackend.send(OK_HEAD + "Transfer-Encoding: chunked\r\n\r\n186a0\r\n" + partial, false)),
                Arguments.of(
                        "stall mid-body past the read timeout",
                        RawBackend.sendThenStall(OK_HEAD + "Content-Length: 100000\r\n\r\n" + partial)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("beforeHeaders")
    void brokenResponseBecomes502(String name, RawBackend.Behaviour behaviour) throws Exception {
        Exchange exchange = throughFrontend(behaviour);
        RawHttp.Response response = exchange.response();
        assertThat(response.outcome()).as("%s: %s", name, response).isEqualTo(Outcome.COMPLETE);
        assertThat(response.status()).as("%s: %s", name, response).isEqualTo(502);
        assertThat(response.header("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("statusCode").asInt()).isEqualTo(502);
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(exchange.took())
                .as("%s: no waiting for a timeout", name)
                .isLessThan(Duration.ofMillis(Harness.READ_TIMEOUT_MS + 2_000));
        assertThat(exchange.backendRequests()).as("the backend was asked").isGreaterThanOrEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("midBody")
    void brokenBodyEndsCleanlyAndVisibly(String name, RawBackend.Behaviour behaviour) throws Exception {
        Exchange exchange = throughFrontend(behaviour);
        RawHttp.Response response = exchange.response();
        assertThat(response.outcome())
                .as("%s: the client sees an end, never a hang: %s", name, response)
                .isNotEqualTo(Outcome.TIMEOUT);
        assertThat(exchange.took())
                .as("%s: ends within the configured timeouts", name)
                .isLessThan(Duration.ofMillis(Harness.CALL_TIMEOUT_MS + 2_000));
        if (response.outcome() == Outcome.COMPLETE) {
            // a complete response is only acceptable as the error itself, never as a short 200
            assertThat(response.status()).as("%s: %s", name, response).isIn(502, 504);
            assertThat(JSON.readTree(response.body()).path("statusCode").asInt())
                    .isEqualTo(response.status());
        } else {
            assertThat(response.outcome())
                    .as("%s: the cut is visible (framing or reset): %s", name, response)
                    .isIn(Outcome.TRUNCATED, Outcome.RESET);
            assertThat(response.status()).isEqualTo(200);
        }
    }

    /**
     * A backend that is never silent for the read timeout but never finishes either: the call timeout ends
     * it. A small body is read whole before anything is sent (so the client gets a 504); a large one is
     * streamed (so the client sees the cut).
     */
    @ParameterizedTest(name = "Content-Length {0}")
    @ValueSource(ints = {2_000, 100_000})
    void aBackendThatTricklesForeverIsCutAtTheCallTimeout(int length) throws Exception {
        long every = Harness.READ_TIMEOUT_MS / 5;
        String head = OK_HEAD + "Content-Length: " + length + "\r\n\r\n";
        Exchange exchange = throughFrontend(RawBackend.trickle(head + "x".repeat(length / 2), every));
        RawHttp.Response response = exchange.response();
        assertThat(exchange.took())
                .as("ends at the call timeout, not at the read timeout")
                .isBetween(
                        Duration.ofMillis(Harness.CALL_TIMEOUT_MS - 100),
                        Duration.ofMillis(Harness.CALL_TIMEOUT_MS + 2_000));
        if (length <= 64 * 1024) {
            assertThat(response.outcome()).as("%s", response).isEqualTo(Outcome.COMPLETE);
            assertThat(response.status()).isEqualTo(504);
            assertThat(JSON.readTree(response.body()).path("statusCode").asInt())
                    .isEqualTo(504);
        } else {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.outcome())
                    .as("the cut is visible: %s", response)
                    .isIn(Outcome.TRUNCATED, Outcome.RESET);
        }
    }

    record Exchange(RawHttp.Response response, Duration took, int backendRequests) {}

    /**
     * One proxied GET through a fresh frontend in front of {@code behaviour}. The request is keep-alive,
     * as browsers send it: the answer is then framed (length or chunks), so a cut is visible to the
     * client; a Connection: close client gets an EOF-delimited body that cannot show one.
     */
    private static Exchange throughFrontend(RawBackend.Behaviour behaviour) throws Exception {
        try (RawBackend backend = RawBackend.start(behaviour)) {
            Javalin frontend = Harness.startFrontend(backend.url());
            try {
                byte[] request = ("GET /api/search?q=java HTTP/1.1\r\nHost: 127.0.0.1:" + frontend.port() + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1);
                long start = System.nanoTime();
                RawHttp.Response response = RawHttp.exchange("127.0.0.1", frontend.port(), request, CLIENT_TIMEOUT);
                return new Exchange(response, response.elapsed(start), backend.received());
            } finally {
                frontend.stop();
            }
        }
    }
}
