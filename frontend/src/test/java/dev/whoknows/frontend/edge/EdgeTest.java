package dev.whoknows.frontend.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.whoknows.frontend.TestFrontend;
import dev.whoknows.stub.StubApp;
import dev.whoknows.stub.StubConfig;
import dev.whoknows.testsupport.http.RawHttp;
import io.javalin.Javalin;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The edge every request passes, in front of the real stub: what a new user, the course simulator and
 * curl run into. Each case here failed before the edge existed.
 */
class EdgeTest {

    /** The real stub, started with the class (before the frontend, which is given its URL) and stopped after it. */
    static final Javalin stub = StubApp.create(
                    StubConfig.fromEnv(Map.of("BACKEND_INTERNAL_PORT", "0", "LOG_LEVEL", "warn")))
            .start();

    @RegisterExtension
    static final TestFrontend frontend = TestFrontend.extension()
            .backend("http://localhost:" + stub.port())
            // the real stub hashes passwords: on a loaded machine a login can take seconds
            .env("BACKEND_READ_TIMEOUT_MS", "10000")
            .env("BACKEND_CALL_TIMEOUT_MS", "20000")
            .build();

    static final ObjectMapper JSON = new ObjectMapper();

    @AfterAll
    static void stopStub() {
        stub.stop();
    }

    private static String header(String raw, String name) {
        for (String line :
                raw.substring(0, Math.max(0, raw.indexOf("\r\n\r\n"))).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    private static List<String> headers(String raw, String name) {
        List<String> values = new ArrayList<>();
        for (String line :
                raw.substring(0, Math.max(0, raw.indexOf("\r\n\r\n"))).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                values.add(line.substring(colon + 1).strip());
            }
        }
        return values;
    }

    private static String body(String raw) {
        return raw.substring(raw.indexOf("\r\n\r\n") + 4);
    }

    private String get(String target, String... extraHeaders) {
        StringBuilder request =
                new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: localhost:" + frontend.port() + "\r\n");
        for (String h : extraHeaders) {
            request.append(h).append("\r\n");
        }
        return frontend.raw(request.append("Connection: close\r\n\r\n").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/login", "/search?q=a", "/about"})
    void leadingDoubleSlashesAnswerLikeTheSingleSlashPath(String path) {
        String single = get(path);
        String twice = get("/" + path);
        String thrice = get("//" + path);
        assertThat(TestFrontend.statusOf(single)).isEqualTo(200);
        assertThat(TestFrontend.statusOf(twice)).as("/%s", path).isEqualTo(200);
        assertThat(TestFrontend.statusOf(thrice)).as("//%s", path).isEqualTo(200);
        assertThat(body(twice)).isEqualTo(body(single));
        assertThat(header(twice, "Content-Type")).isEqualTo(header(single, "Content-Type"));
    }

    @Test
    void leadingDoubleSlashesReachTheApiButInnerOnesStayA400() {
        String twice = get("//api/search?q=docker");
        assertThat(TestFrontend.statusOf(twice)).isEqualTo(200);
        assertThat(body(twice)).isEqualTo(body(get("/api/search?q=docker")));
        String inner = get("/api//search?q=docker");
        assertThat(TestFrontend.statusOf(inner)).isEqualTo(400);
        assertThat(body(inner)).contains("empty path segments");
    }

    @Test
    void expect100ContinueGetsTheGoAheadAndTheBodyReachesTheBackend() throws Exception {
        byte[] body = "username=demo&password=demo1234".getBytes(StandardCharsets.ISO_8859_1);
        try (Socket socket = new Socket("localhost", frontend.port())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(
                    ("POST /api/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                    + "Content-Length: " + body.length
                                    + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            var in = socket.getInputStream();
            StringBuilder interim = new StringBuilder();
            while (!interim.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                assertThat(c)
                        .as("an interim answer before the body is sent: %s", interim)
                        .isNotEqualTo(-1);
                interim.append((char) c);
            }
            assertThat(interim.toString()).startsWith("HTTP/1.1 100 ");
            out.write(body);
            out.flush();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(TestFrontend.statusOf(answer)).as(answer).isEqualTo(200);
            assertThat(header(answer, "Set-Cookie")).startsWith("session=");
            assertThat(body(answer)).contains("You were logged in");
        }
    }

    @Test
    void aProxiedAnswerHasOneDateHeader() {
        String answer = get("/api/search?q=docker");
        assertThat(TestFrontend.statusOf(answer)).isEqualTo(200);
        assertThat(headers(answer, "Date")).hasSize(1);
    }

    @Test
    void aLargeSearchReachesAClientWithoutAcceptEncodingAsTheBackendSentIt() throws Exception {
        // the stub compresses answers above 1,500 bytes when asked; q=the is a ~20 KB page
        HttpResponse<String> answer = frontend.get("/api/search?q=the");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(answer.body().length()).isGreaterThan(10_000);
        assertThat(JSON.readTree(answer.body()).get("data").size()).isGreaterThan(10);
        String zipped = get("/api/search?q=the", "Accept-Encoding: gzip");
        assertThat(header(zipped, "Content-Encoding"))
                .as("a client that asks gets the backend's gzip")
                .isEqualTo("gzip");
    }

    @Test
    void headOnTheProxyCarriesGetsHeaders() {
        HttpResponse<String> get = frontend.get("/api/search?q=docker");
        String head =
                frontend.raw("HEAD /api/search?q=docker HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(TestFrontend.statusOf(head)).isEqualTo(200);
        assertThat(header(head, "Content-Type"))
                .isEqualTo(get.headers().firstValue("Content-Type").orElseThrow());
        assertThat(header(head, "Content-Length"))
                .isEqualTo(String.valueOf(get.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(body(head)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "POST /",
                "PUT /login",
                "DELETE /about",
                "OPTIONS /",
                "PATCH /static/css/style.css",
                "POST /api/health",
                "DELETE /api/metrics"
            })
    void otherMethodsOnPagesAndOwnRoutesAre405WithAnAccurateAllow(String line) {
        String[] parts = line.split(" ");
        String answer = frontend.raw(parts[0] + " " + parts[1] + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(TestFrontend.statusOf(answer)).as(line).isEqualTo(405);
        assertThat(header(answer, "Allow")).isEqualTo("GET, HEAD");
        assertThat(header(answer, "X-Request-Id")).isNotBlank();
    }

    @Test
    void traceIsRefusedListingOnlyMethodsThatWork() throws Exception {
        String page = frontend.raw("TRACE / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(TestFrontend.statusOf(page)).isEqualTo(405);
        assertThat(header(page, "Allow")).isEqualTo("GET, HEAD");
        String api = frontend.raw("TRACE /api/search HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(TestFrontend.statusOf(api)).isEqualTo(405);
        assertThat(header(api, "Allow")).doesNotContain("TRACE").contains("GET").contains("POST");
        assertThat(JSON.readTree(body(api)).get("statusCode").asInt()).isEqualTo(405);
    }

    @Test
    void aBackends405KeepsItsAllow() {
        String answer = frontend.raw("DELETE /api/search HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        String direct =
                rawTo(stub.port(), "DELETE /api/search HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(TestFrontend.statusOf(answer)).isEqualTo(TestFrontend.statusOf(direct));
        assertThat(header(answer, "Allow")).isEqualTo(header(direct, "Allow"));
    }

    private static String rawTo(int port, String request) {
        return RawHttp.wireText(port, request, java.time.Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/login/", "/about/?x=1&y=2", "/search/?q=docker", "/login//"})
    void trailingSlashesRedirectToTheCleanUrlKeepingTheQuery(String target) {
        String answer = get(target);
        assertThat(TestFrontend.statusOf(answer)).as(target).isEqualTo(301);
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        String query = target.contains("?") ? target.substring(target.indexOf('?')) : "";
        assertThat(header(answer, "Location")).isEqualTo(path.replaceAll("/+$", "") + query);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/a\\b", "/api/%00", "/api/search%00", "/api/search/..;/x", "/api/%2e%2e/x"})
    void badTargetsUnderApiAreJson400sWithAReasonAndARequestId(String target) throws Exception {
        String answer = get(target, "X-Request-Id: bad-target-1");
        assertThat(TestFrontend.statusOf(answer)).as(target).isEqualTo(400);
        assertThat(header(answer, "Content-Type")).as(target).startsWith("application/json");
        // Jetty refuses some targets while reading the request line, before it has read any header
        assertThat(header(answer, "X-Request-Id")).as(target).matches("bad-target-1|[0-9a-f-]{36}");
        JsonNode json = JSON.readTree(body(answer));
        assertThat(json.get("statusCode").asInt()).isEqualTo(400);
        assertThat(json.get("message").asText()).as(target).isNotBlank().isNotEqualToIgnoringCase("Bad Request");
    }

    @Test
    void aHugeQueryIsAJson414() throws Exception {
        String answer = get("/api/search?q=" + "a".repeat(20_000));
        assertThat(TestFrontend.statusOf(answer)).isEqualTo(414);
        assertThat(header(answer, "Content-Type")).startsWith("application/json");
        assertThat(header(answer, "X-Request-Id")).isNotBlank();
        JsonNode json = JSON.readTree(body(answer));
        assertThat(json.get("statusCode").asInt()).isEqualTo(414);
        assertThat(json.get("message").asText()).containsIgnoringCase("long");
    }

    @Test
    void headersOverTheLimitAreAJson431NamingTheVariable() throws Exception {
        String answer = get("/api/search?q=a", "X-Big: " + "x".repeat(10_000));
        assertThat(TestFrontend.statusOf(answer)).isEqualTo(431);
        assertThat(header(answer, "Content-Type")).startsWith("application/json");
        assertThat(JSON.readTree(body(answer)).get("message").asText()).contains("FRONTEND_MAX_HEADER_BYTES");
    }

    @Test
    void duplicateHostAndBadPortAreJson400s() throws Exception {
        String twoHosts =
                frontend.raw("GET /api/search?q=a HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n");
        assertThat(TestFrontend.statusOf(twoHosts)).isEqualTo(400);
        assertThat(JSON.readTree(body(twoHosts)).get("message").asText()).containsIgnoringCase("host");
        String badPort =
                frontend.raw("GET /api/search?q=a HTTP/1.1\r\nHost: localhost:99999\r\nConnection: close\r\n\r\n");
        assertThat(TestFrontend.statusOf(badPort)).isEqualTo(400);
        assertThat(header(badPort, "Content-Type")).startsWith("application/json");
        assertThat(header(badPort, "X-Request-Id")).isNotBlank();
    }

    @Test
    void absoluteFormTargetsAreAnsweredByTheBackendOnly() throws Exception {
        AtomicInteger elsewhereHits = new AtomicInteger();
        try (ServerSocket elsewhere = new ServerSocket(0)) {
            Thread accept = new Thread(() -> {
                try (Socket s = elsewhere.accept()) {
                    elsewhereHits.incrementAndGet();
                } catch (Exception ignored) {
                    // closed
                }
            });
            accept.setDaemon(true);
            accept.start();
            String other = "127.0.0.1:" + elsewhere.getLocalPort();
            String answer = frontend.raw("GET http://" + other + "/api/search?q=docker HTTP/1.1\r\nHost: " + other
                    + "\r\nConnection: close\r\n\r\n");
            assertThat(TestFrontend.statusOf(answer)).isEqualTo(200);
            assertThat(body(answer)).isEqualTo(body(get("/api/search?q=docker")));
            String mismatch = frontend.raw("GET http://" + other + "/api/search?q=docker HTTP/1.1\r\nHost: localhost"
                    + "\r\nConnection: close\r\n\r\n");
            assertThat(TestFrontend.statusOf(mismatch)).isEqualTo(400);
            assertThat(JSON.readTree(body(mismatch)).get("message").asText()).contains("Host");
        }
        assertThat(elsewhereHits)
                .as("connections to the host named in the target")
                .hasValue(0);
    }
}
