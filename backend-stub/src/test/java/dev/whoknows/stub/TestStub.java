package dev.whoknows.stub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.stub.contract.ContractValidator;
import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** Sends raw bytes (for requests java.net.http refuses to make) and returns status and body. */
    public Answer raw(byte[] request) {
        try (Socket socket = new Socket("localhost", app.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            // read until the answer is complete: some (CONNECT) keep the connection open afterwards
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                bytes.write(buffer, 0, n);
                if (complete(bytes.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
            return parse(bytes.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("raw request failed", e);
        }
    }

    private static boolean complete(String response) {
        int end = response.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = response.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        Matcher length = Pattern.compile("\r\ncontent-length: *(\\d+)").matcher(head);
        if (length.find()) {
            return response.length() - end - 4 >= Integer.parseInt(length.group(1));
        }
        return head.contains("transfer-encoding: chunked") && response.endsWith("0\r\n\r\n");
    }

    private static Answer parse(String response) {
        int end = response.indexOf("\r\n\r\n");
        String head = end < 0 ? response : response.substring(0, end);
        String body = end < 0 ? "" : response.substring(end + 4);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).strip(), k -> new java.util.ArrayList<>())
                        .add(lines[i].substring(colon + 1).strip());
            }
        }
        if (headers.getOrDefault("Transfer-Encoding", List.of()).contains("chunked")) {
            body = unchunk(body);
        }
        return new Answer(status, HttpHeaders.of(headers, (a, b) -> true), body);
    }

    private static String unchunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int lineEnd = body.indexOf("\r\n", at);
            int size =
                    Integer.parseInt(body.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }

    /** Every answer must match the document: the route's documented response, or ErrorResponse. */
    public static void checkContract(String method, String path, int status, String body) {
        boolean documented = CONTRACT.document().path("paths").path(path).has(method.toLowerCase(Locale.ROOT));
        List<String> errors = documented
                ? CONTRACT.validateResponse(path, method, status, body)
                : CONTRACT.validateSchema("ErrorResponse", body);
        assertThat(errors).as("%s %s -> %d %s", method, path, status, body).isEmpty();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        app.stop();
    }
}
