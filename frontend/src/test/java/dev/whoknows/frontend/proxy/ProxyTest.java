package dev.whoknows.frontend.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.whoknows.frontend.testing.ContractCheckedWireMock.offContract;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.whoknows.frontend.BackendStubs;
import dev.whoknows.frontend.TestFrontend;
import dev.whoknows.frontend.testing.ContractCheckedWireMock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyTest {

    @RegisterExtension
    @Order(1)
    static final ContractCheckedWireMock backend = ContractCheckedWireMock.backend(BackendStubs::install);

    /** Another host the frontend must never reach; an answer from it would also break the contract. */
    @RegisterExtension
    static final ContractCheckedWireMock elsewhere = ContractCheckedWireMock.backend(stubs ->
            stubs.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ESCAPED"))));

    @RegisterExtension
    @Order(2)
    static final TestFrontend frontend = TestFrontend.extension()
            .backend(backend)
            .env("FRONTEND_MAX_BODY_BYTES", "65536")
            .build();

    private LoggedRequest onlyBackendRequest() {
        List<LoggedRequest> requests = backend.findAll(anyRequestedFor(anyUrl()));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    @Test
    void searchGoesThroughWithTheBackendsAnswer() {
        HttpResponse<String> response = frontend.get("/api/search?q=kubernetes&language=en");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(BackendStubs.SEARCH_RESULTS);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        HttpResponse<String> missing = frontend.get("/api/search");
        assertThat(missing.statusCode()).isEqualTo(422);
        assertThat(missing.body()).isEqualTo(BackendStubs.SEARCH_MISSING_Q);
    }

    @Test
    void methodPathQueryBodyHeadersAndCookiesReachTheBackend() {
        backend.stubFor(any(anyUrl())
                .withMetadata(offContract("proxy mechanics on a made-up route: what reaches the backend"))
                .willReturn(aResponse().withStatus(201).withBody("made")));
        String body = "{\"name\":\"Zoë\",\"note\":\"a&b=c\"}";
        HttpResponse<String> response = frontend.send(
                HttpRequest.newBuilder(URI.create(
                                frontend.url("/api/things/caf%C3%A9%20x?q=caf%C3%A9%20%26%3D+plus&q=2&empty=")))
                        .method("PUT", HttpRequest.BodyPublishers.ofString(body)),
                "Content-Type",
                "application/json; charset=utf-8",
                "Cookie",
                "session=abc; theme=dark",
                "X-Custom",
                "kept",
                "Accept",
                "application/json",
                "User-Agent",
                "proxy-test",
                "X-Forwarded-For",
                "203.0.113.7",
                "X-Request-Id",
                "test-id-123");
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("made");
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("test-id-123");

        LoggedRequest seen = onlyBackendRequest();
        assertThat(seen.getMethod().getName()).isEqualTo("PUT");
        assertThat(seen.getUrl()).isEqualTo("/api/things/caf%C3%A9%20x?q=caf%C3%A9%20%26%3D+plus&q=2&empty=");
        assertThat(seen.getBodyAsString()).isEqualTo(body);
        // charset names are case-insensitive; Jetty hands over its cached spelling
        assertThat(seen.getHeader("Content-Type")).isEqualToIgnoringCase("application/json; charset=utf-8");
        assertThat(seen.getHeader("Cookie")).isEqualTo("session=abc; theme=dark");
        assertThat(seen.getHeader("X-Custom")).isEqualTo("kept");
        assertThat(seen.getHeader("User-Agent")).isEqualTo("proxy-test");
        assertThat(seen.getHeader("X-Request-Id")).isEqualTo("test-id-123");
        assertThat(seen.getHeader("X-Forwarded-For")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(seen.getHeader("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.getHeader("X-Forwarded-Host")).isEqualTo("localhost:" + frontend.port());
        assertThat(seen.getHeader("Host")).isEqualTo("localhost:" + backend.getPort());
        // the client sent no Accept-Encoding: the backend is asked for identity, not gzip the proxy would inflate
        assertThat(seen.getHeader("Accept-Encoding")).isEqualTo("identity");
    }

    @Test
    void aRequestIdIsGeneratedWhenMissingOrInvalid() {
        HttpResponse<String> response = frontend.get("/api/weather", "X-Request-Id", "bad id with spaces\t");
        String id = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(onlyBackendRequest().getHeader("X-Request-Id")).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "QUERY"})
    void everyMethodIsForwarded(String method) {
        backend.stubFor(any(urlEqualTo("/api/m"))
                .withMetadata(offContract("every HTTP method on a made-up route"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("X-Method-Seen", method)
                        .withBody("ok")));
        boolean withBody = !method.equals("GET") && !method.equals("HEAD");
        HttpResponse<String> response = frontend.send(HttpRequest.newBuilder(URI.create(frontend.url("/api/m")))
                .method(
                        method,
                        withBody ? HttpRequest.BodyPublishers.ofString("x=1") : HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Method-Seen")).hasValue(method);
        LoggedRequest seen = onlyBackendRequest();
        // HEAD goes to the backend as GET, so the answer carries GET's headers (its body is dropped)
        assertThat(seen.getMethod().getName()).isEqualTo(method.equals("HEAD") ? "GET" : method);
        if (withBody) {
            assertThat(seen.getBodyAsString()).isEqualTo("x=1");
        }
    }

    @Test
    void aLargeBodyArrivesIntactInChunks() {
        byte[] body = new byte[60_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        backend.stubFor(any(urlEqualTo("/api/upload"))
                .withMetadata(offContract("a large request body on a made-up route"))
                .willReturn(aResponse().withStatus(200).withBody("ok")));
        HttpResponse<String> response = frontend.send(HttpRequest.newBuilder(URI.create(frontend.url("/api/upload")))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(onlyBackendRequest().getBody()).isEqualTo(body);
    }

    @Test
    void bodiesOverTheLimitAre413AndNeverReachTheBackend() {
        byte[] body = new byte[70_000];
        HttpResponse<String> declared = frontend.send(HttpRequest.newBuilder(URI.create(frontend.url("/api/upload")))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).contains("\"statusCode\":413").contains("65536");

        HttpResponse<String> chunked = frontend.send(HttpRequest.newBuilder(URI.create(frontend.url("/api/upload")))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))));
        assertThat(chunked.statusCode()).isEqualTo(413);
        backend.findAll(anyRequestedFor(anyUrl()))
                .forEach(r -> assertThat(r.getBody().length).isLessThan(body.length));
    }

    @Test
    void everySetCookieComesBack() {
        backend.stubFor(get(urlEqualTo("/api/cookies"))
                .withMetadata(offContract("three Set-Cookie headers on a made-up route"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Set-Cookie", "session=one; Path=/; HttpOnly; SameSite=Lax")
                        .withHeader("Set-Cookie", "theme=dark; Path=/")
                        .withHeader("Set-Cookie", "expires=gone; Path=/; Max-Age=0")
                        .withBody("{}")));
        HttpResponse<String> response = frontend.get("/api/cookies");
        assertThat(response.headers().allValues("Set-Cookie"))
                .containsExactly(
                        "session=one; Path=/; HttpOnly; SameSite=Lax",
                        "theme=dark; Path=/",
                        "expires=gone; Path=/; Max-Age=0");
    }

    @Test
    void hopByHopHeadersAreNotForwardedEitherWay() {
        backend.stubFor(get(urlEqualTo("/api/hop"))
                .withMetadata(offContract("hop-by-hop headers on a made-up route"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Connection", "X-Back-Hop")
                        .withHeader("X-Back-Hop", "drop me")
                        .withHeader("Keep-Alive", "timeout=5")
                        .withHeader("Proxy-Authenticate", "Basic realm=x")
                        .withHeader("Upgrade", "h2c")
                        .withHeader("Trailer", "X-Checksum")
                        .withHeader("X-End-To-End", "keep me")
                        .withBody("hop")));
        String response = frontend.raw("GET /api/hop HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: keep-alive, X-Hop-Secret\r\n"
                + "X-Hop-Secret: dropped\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "Proxy-Connection: keep-alive\r\n"
                + "Proxy-Authorization: Basic c2VjcmV0\r\n"
                + "TE: trailers\r\n"
                + "Trailer: X-Checksum\r\n"
                + "X-End-To-End: kept\r\n\r\n"
                + "GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(TestFrontend.statusOf(response)).isEqualTo(200);
        LoggedRequest seen = onlyBackendRequest();
        for (String header :
                new String[] {"X-Hop-Secret", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "TE", "Trailer"
                }) {
            assertThat(seen.containsHeader(header)).as(header).isFalse();
        }
        assertThat(seen.getHeader("X-End-To-End")).isEqualTo("kept");
        String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
        assertThat(head)
                .doesNotContain("x-back-hop")
                .doesNotContain("keep-alive: timeout")
                .doesNotContain("proxy-authenticate")
                .doesNotContain("upgrade: h2c")
                .doesNotContain("trailer:")
                .contains("x-end-to-end: keep me");
    }

    @Test
    void absoluteFormAndHostTricksNeverReachAnotherServer() {
        String other = "127.0.0.1:" + elsewhere.getPort();
        // each attempt with the one answer it must get: forwarded to BACKEND_URL (200, or the backend's 404),
        // or refused (400, 405); a page path that is no page (404)
        Map<String, Integer> attempts = new java.util.LinkedHashMap<>();
        attempts.put(
                "GET http://" + other + "/api/search?q=a HTTP/1.1\r\nHost: localhost:" + frontend.port() + "\r\n", 400);
        attempts.put("GET http://" + other + "/api/search?q=a HTTP/1.1\r\nHost: " + other + "\r\n", 200);
        attempts.put("GET /api/search?q=a HTTP/1.1\r\nHost: " + other + "\r\n", 200);
        attempts.put("GET /api/search?q=a HTTP/1.1\r\nHost: " + other + "@evil\r\n", 400);
        attempts.put("GET //" + other + "/api/search HTTP/1.1\r\nHost: localhost\r\n", 404);
        attempts.put("GET /api/@" + other + "/x HTTP/1.1\r\nHost: localhost\r\n", 404);
        attempts.put("GET /api/..%2f..%2f" + other + "/x HTTP/1.1\r\nHost: localhost\r\n", 400);
        attempts.put("CONNECT " + other + " HTTP/1.1\r\nHost: " + other + "\r\n", 405);
        attempts.forEach((attempt, status) -> {
            String response = frontend.raw(attempt + "Connection: close\r\n\r\n");
            assertThat(response).as(attempt).doesNotContain("ESCAPED");
            assertThat(TestFrontend.statusOf(response)).as(attempt).isEqualTo(status);
            if (status == 200) {
                assertThat(response).as(attempt).endsWith(BackendStubs.SEARCH_RESULTS);
            }
        });
        assertThat(elsewhere.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/%2e%2e/secret",
                "/api/.%2e/secret",
                "/api/%252e%252e/secret",
                "/api/a/../../secret",
                "/api/..%2fsecret",
                "/api/a%5c..%5csecret",
                "/api/a\\..\\secret",
                "/api/x;jsessionid=1",
                "/api/a//b",
                "/api/%00",
                "/api/a%zz"
            })
    void suspiciousPathsAre400WithAReason(String path) {
        String response = frontend.raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        // refused by Jetty's URI checks or by the proxy's own (Target): the same JSON shape with a reason
        assertThat(TestFrontend.statusOf(response)).as(path).isEqualTo(400);
        assertThat(response)
                .as(path)
                .contains("Content-Type: application/json")
                .contains("X-Request-Id: ")
                .containsPattern("\\{\"statusCode\":400,\"message\":\"Bad request( target)?: [A-Za-z]");
        assertThat(backend.findAll(anyRequestedFor(anyUrl())))
                .as(path)
                .allSatisfy(r -> assertThat(r.getUrl()).startsWith("/api/"));
        assertThat(backend.findAll(anyRequestedFor(anyUrl())))
                .as(path)
                .noneSatisfy(r -> assertThat(r.getUrl()).contains("secret"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRACE /api/search", "TRACE /", "PROPFIND /api/x", "BREW /about", "CONNECT localhost:80"})
    void traceConnectAndUnknownMethodsAre405(String line) {
        String response = frontend.raw(line + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(TestFrontend.statusOf(response)).isEqualTo(405);
        assertThat(response).contains("\"statusCode\":405").contains("is not allowed");
        assertThat(backend.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void methodOverrideHeadersAreRefused() {
        HttpResponse<String> response = frontend.get("/api/search?q=a", "X-HTTP-Method-Override", "DELETE");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("X-HTTP-Method-Override is not supported");
        assertThat(backend.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void opsPathsAreNotForwarded() {
        HttpResponse<String> response = frontend.send(HttpRequest.newBuilder(URI.create(frontend.url("/api/health")))
                .POST(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(backend.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void aSlowBackendEndsAs504AtTheReadTimeout() {
        // a slow answer, on the contract: it is checked when WireMock has it, before the delay
        backend.stubFor(get(urlEqualTo("/api/search?q=slow"))
                .willReturn(BackendStubs.json(200, BackendStubs.SEARCH_EMPTY).withFixedDelay(6_000)));
        HttpResponse<String> response = frontend.get("/api/search?q=slow");
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body())
                .isEqualTo("{\"statusCode\":504,\"message\":\"" + BackendFailure.TIMEOUT.message() + "\"}");
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {"CONNECTION_RESET_BY_PEER", "MALFORMED_RESPONSE_CHUNK", "RANDOM_DATA_THEN_CLOSE", "EMPTY_RESPONSE"
            })
    void brokenBackendAnswersAre502(Fault fault) {
        backend.stubFor(get(urlEqualTo("/api/broken"))
                .withMetadata(offContract("a broken backend: " + fault))
                .willReturn(aResponse().withFault(fault)));
        HttpResponse<String> response = frontend.get("/api/broken");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).startsWith("{\"statusCode\":502,\"message\":\"The WhoKnows backend");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(frontend.get("/static/css/style.css").statusCode()).isEqualTo(200);
    }

    @Test
    void aBackendDyingMidBodyAbortsTheClientResponse(@TempDir Path dir) throws Exception {
        try (ServerSocket dying = new ServerSocket(0)) {
            Thread server = new Thread(() -> {
                try (Socket socket = dying.accept()) {
                    readHead(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                                    + "6\r\nhello \r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(300);
                } catch (Exception ignored) {
                    // the socket closes without the last chunk: the backend "died"
                }
            });
            server.start();
            try (TestFrontend viaDying = TestFrontend.start(dir, "http://localhost:" + dying.getLocalPort())) {
                long start = System.nanoTime();
                String response = viaDying.raw("GET /api/stream HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(TestFrontend.statusOf(response)).isEqualTo(200);
                assertThat(response).contains("hello ");
                assertThat(response)
                        .as("a truncated body must not end with the last-chunk marker")
                        .doesNotEndWith("0\r\n\r\n");
                assertThat(System.nanoTime() - start)
                        .as("the connection is closed, not left hanging")
                        .isLessThan(8_000_000_000L);
            }
            server.join(5_000);
        }
    }

    private static void readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.write(b);
        }
    }

    @Test
    void aClosedPortIs503AndPagesKeepWorking(@TempDir Path dir) {
        try (TestFrontend down = TestFrontend.start(dir, "http://localhost:" + TestFrontend.closedPort())) {
            HttpResponse<String> api = down.get("/api/search?q=x");
            assertThat(api.statusCode()).isEqualTo(503);
            assertThat(api.body())
                    .isEqualTo("{\"statusCode\":503,\"message\":\"" + BackendFailure.REFUSED.message() + "\"}");
            assertThat(down.get("/").statusCode()).isEqualTo(200);
            assertThat(down.get("/static/css/style.css").statusCode()).isEqualTo(200);
            assertThat(down.get("/api/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void headersTheFrontendSetsItselfAreNotDoubledByTheBackendsCopies() {
        backend.stubFor(get(urlEqualTo("/api/echo"))
                .withMetadata(offContract("headers the frontend sets itself, on a made-up route"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("X-Request-Id", "from-backend")
                        .withHeader("X-Content-Type-Options", "nosniff")
                        .withHeader("Date", "Mon, 01 Jan 2001 00:00:00 GMT")
                        .withBody("{}")));
        HttpResponse<String> response = frontend.get("/api/echo", "X-Request-Id", "mine-1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("X-Request-Id")).containsExactly("mine-1");
        assertThat(response.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
        assertThat(response.headers().allValues("Date")).hasSize(1).noneMatch(date -> date.contains("2001"));
    }

    @Test
    void gzipFromTheBackendPassesThroughUntouched() throws Exception {
        byte[] zipped;
        try (var bytes = new ByteArrayOutputStream();
                var gz = new java.util.zip.GZIPOutputStream(bytes)) {
            gz.write(BackendStubs.SEARCH_RESULTS.getBytes(StandardCharsets.UTF_8));
            gz.finish();
            zipped = bytes.toByteArray();
        }
        backend.stubFor(get(urlEqualTo("/api/zipped"))
                .withMetadata(offContract("gzip bytes passed through untouched, on a made-up route"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Encoding", "gzip")
                        .withHeader("Content-Type", "application/json")
                        .withBody(zipped)));
        HttpResponse<byte[]> response = frontend.getBytes("/api/zipped", "Accept-Encoding", "gzip");
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.ISO_8859_1)
                        + response.headers().map())
                .isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(Arrays.equals(response.body(), zipped)).isTrue();
    }
}
