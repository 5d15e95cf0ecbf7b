package dev.whoknows.stub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.testsupport.contract.ContractValidator;
import dev.whoknows.testsupport.http.RawHttp;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A real stub on a free port, and an HTTP client whose every answer is checked against the OpenAPI
 * document (undocumented routes against its ErrorResponse schema).
 */
public final class TestStub implements AutoCloseable {
    private static final ContractValidator CONTRACT = new ContractValidator();
    private final Javalin app;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** What came back: status, headers, body. */
    public record Answer(int status, HttpHeaders headers, String body) {
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** The value of the {@code session} cookie this answer sets, if any. */
        public Optional<String> sessionCookie() {
            return headers.allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith("session="))
                    .map(c -> c.substring("session=".length()).split(";", 2)[0])
                    .findFirst();
        }
    }

    public TestStub() {
        this(StubConfig.defaults());
    }

    public TestStub(StubConfig config) {
        this(config, Clock.systemUTC());
    }

    public TestStub(StubConfig config, Clock clock) {
        this(StubApp.create(config.withPort(0), clock).start());
    }

    /** A client for an app the test started itself; closing stops it. */
    public TestStub(Javalin started) {
        app = started;
    }

    public Javalin app() {
        return app;
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://localhost:" + app.port() + pathAndQuery);
    }

    public Answer get(String pathAndQuery, String... headers) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET(), headers);
    }

    public Answer method(String method, String pathAndQuery, String... headers) {
        return send(
                HttpRequest.newBuilder(uri(pathAndQuery)).method(method, HttpRequest.BodyPublishers.noBody()), headers);
    }

    public Answer postForm(String path, Map<String, String> fields, String... headers) {
        String body = fields.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return post(path, "application/x-www-form-urlencoded", body, headers);
    }

    public Answer post(String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request, headers);
    }

    public Answer login(String username, String password, String... headers) {
        return postForm("/api/login", Map.of("username", username, "password", password), headers);
    }

    public Answer register(String username, String password) {
        return postForm(
                "/api/register",
                form(
                        "username",
                        username,
                        "email",
                        username + "@example.org",
                        "password",
                        password,
                        "password2",
                        password));
    }

    public static Map<String, String> form(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private Answer send(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            Answer answer = new Answer(response.statusCode(), response.headers(), response.body());
            checkContract(built.method(), built.uri().getRawPath(), answer.status(), answer.body());
            return answer;
        } catch (IOException e) {
            throw new AssertionError("request failed: " + built.method() + " " + built.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Sends raw bytes (for requests java.net.http refuses to make) and returns status, headers and body. */
    public Answer raw(byte[] request) {
        RawHttp.Response response = RawHttp.exchange("localhost", app.port(), request, Duration.ofSeconds(10));
        if (response.outcome() != RawHttp.Outcome.COMPLETE) {
            throw new AssertionError("raw request got no complete answer: " + response);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (RawHttp.Header header : response.headers()) {
            headers.computeIfAbsent(header.name(), k -> new ArrayList<>()).add(header.value());
        }
        return new Answer(response.status(), HttpHeaders.of(headers, (a, b) -> true), response.bodyText());
    }

    /** Every answer must match the document: the route's documented response, or ErrorResponse. */
    public static void checkContract(String method, String path, int status, String body) {
        assertThat(CONTRACT.validateAnswer(method, path, status, body))
                .as("%s %s -> %d %s", method, path, status, body)
                .isEmpty();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        app.stop();
    }
}
