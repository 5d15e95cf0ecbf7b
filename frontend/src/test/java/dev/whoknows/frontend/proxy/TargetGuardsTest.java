package dev.whoknows.frontend.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.frontend.TestFrontend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which request targets Jetty refuses itself and which reach {@link Target} (the table in its javadoc). A
 * refusal by Target says "Bad request target: ", one by Jetty (through the edge's error handler) says
 * "Bad request: "; both are the JSON 400 with an X-Request-Id. The backend is a closed port, so a target
 * nobody refuses is the 503 of an unreachable backend.
 */
class TargetGuardsTest {

    @RegisterExtension
    static final TestFrontend frontend = TestFrontend.extension().build();

    private static String send(String requestLineAndHeaders) {
        return frontend.raw(requestLineAndHeaders + "Connection: close\r\n\r\n");
    }

    private static void assertJson400(String response, String message) {
        assertThat(TestFrontend.statusOf(response)).as(response).isEqualTo(400);
        assertThat(response)
                .contains("Content-Type: application/json")
                .containsPattern("X-Request-Id: \\S+")
                .endsWith("{\"statusCode\":400,\"message\":\"" + message + "\"}");
    }

    private static String get(String target) {
        return send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n");
    }

    @Test
    void hostIsRequiredOnHttp10() {
        assertJson400(send("GET /api/x HTTP/1.0\r\n"), "Bad request target: a Host header is required");
        assertJson400(send("GET /api/x HTTP/1.1\r\n"), "Bad request: No Host");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "a_b | Bad request target: the Host header is not a valid host[:port]",
                "-a | Bad request target: the Host header is not a valid host[:port]",
                "a b | Bad request: Bad HostPort",
                "x@evil | Bad request: Bad HostPort"
            })
    void hostMustBeAHostAndPort(String host, String message) {
        assertJson400(send("GET /api/x HTTP/1.1\r\nHost: " + host + "\r\n"), message);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/api/a%5cb | backslashes are not allowed in the path",
                "/api/x;jsessionid=1 | path parameters (;) are not allowed",
                "/api/x%3Bj=1 | path parameters (;) are not allowed",
                "/api/a%2fb | encoded slashes are not allowed in the path",
                "/api/a//b | empty path segments (//) are not allowed",
                "/api/a/./b | dot segments (. or ..) are not allowed in the path",
                "/api/a/../b | dot segments (. or ..) are not allowed in the path",
                "/api/a/.. | dot segments (. or ..) are not allowed in the path",
                "/api/%2e%2e/b | dot segments (. or ..) are not allowed in the path",
                "/api/%252e%252e/b | dot segments (. or ..) are not allowed in the path"
            })
    void pathGuardsJettyLetsThrough(String target, String reason) {
        assertJson400(get(target), "Bad request target: " + reason);
    }

    @Test
    void pathsLongerThan2048AreRefusedBelowTheHeaderLimit() {
        assertJson400(get("/api/" + "a".repeat(2044)), "Bad request target: the path is longer than 2048 characters");
        assertThat(TestFrontend.statusOf(get("/api/" + "a".repeat(2043)))).isEqualTo(503);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "GET /api/x HTTP/1.1\\r\\nHost: a\\r\\nHost: b | Bad request: more than one Host header",
                "GET http://other:1/api/x HTTP/1.1\\r\\nHost: localhost"
                        + " | Bad request: the Host header does not match the host of the absolute-form request target",
                "GET /api/x?a\\u007fb HTTP/1.1\\r\\nHost: localhost | Bad request: Illegal character CNTL=0x7f",
                "GET /api/x?a\\tb HTTP/1.1\\r\\nHost: localhost | Bad request: Illegal character HTAB=0x9",
                "GET /api/a\\\\b HTTP/1.1\\r\\nHost: localhost | Bad request: Illegal Path Character",
                "GET /api/a\\u0001b HTTP/1.1\\r\\nHost: localhost | Bad request: Illegal character CNTL=0x1",
                "GET /api/a%00 HTTP/1.1\\r\\nHost: localhost | Bad request: Illegal character in path",
                "GET /api/a%zz HTTP/1.1\\r\\nHost: localhost | Bad request: the request target is not a valid URI"
                        + " (a stray %, an encoded NUL, or a character that must be percent-encoded)"
            })
    void jettysRefusalsAreJson400s(String escaped, String message) {
        String request = escaped.replace("\\r\\n", "\r\n")
                .replace("\\t", "\t")
                .replace("\\u007f", "\u007f")
                .replace("\\u0001", "\u0001")
                .replace("\\\\", "\\");
        assertJson400(send(request + "\r\n"), message);
    }

    @Test
    void encodedControlCharactersAreForwardedAsTheyAre() {
        // Jetty and Target both let %01 and %7f through: a percent-encoded byte is the backend's to judge
        assertThat(TestFrontend.statusOf(get("/api/a%01b"))).isEqualTo(503);
        assertThat(TestFrontend.statusOf(get("/api/a%7Fb"))).isEqualTo(503);
    }
}
