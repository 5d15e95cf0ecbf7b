package dev.whoknows.frontend;

import dev.whoknows.frontend.proxy.BackendClient;
import dev.whoknows.frontend.testing.ContractCheckedWireMock;
import dev.whoknows.testsupport.http.RawHttp;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A frontend on a free port with a fixture static folder, driven through real HTTP. A test that needs a frontend
 * of its own starts one with {@link #start} in a try-with-resources; a test class that shares one declares it
 * with {@link #extension()}: the extension creates a temporary folder for it, starts it before all tests and
 * stops it (and deletes the folder) after them.
 *
 * <pre>
 * &#64;RegisterExtension
 * &#64;Order(1)
 * static final ContractCheckedWireMock backend = ContractCheckedWireMock.backend(BackendStubs::install);
 *
 * &#64;RegisterExtension
 * &#64;Order(2) // after the backend: the frontend is given its URL when it starts
 * static final TestFrontend frontend = TestFrontend.extension().backend(backend).env("STATIC_RELOAD", "off").build();
 * </pre>
 */
public final class TestFrontend implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    public static final String STYLE = "body { color: #222; }\n".repeat(40);

    private final Supplier<String> backendUrl;
    private final Map<String, String> env;
    private final AtomicLong clockOffsetMs = new AtomicLong();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    /** The folder the extension created (null for a frontend {@link #start} started). */
    private Path ownTempDir;

    private Javalin app;
    private Path staticDir;

    private TestFrontend(Supplier<String> backendUrl, Map<String, String> env) {
        this.backendUrl = backendUrl;
        this.env = Map.copyOf(env);
    }

    /** A frontend for a whole test class; with no {@link Builder#backend} it forwards to a closed port. */
    public static Builder extension() {
        return new Builder();
    }

    /** What the frontend of a test class is started with. */
    public static final class Builder {
        private Supplier<String> backendUrl = () -> "http://localhost:" + closedPort();
        private final Map<String, String> env = new HashMap<>();

        private Builder() {}

        /** Forwards to this WireMock backend, which must be registered (and so started) before the frontend. */
        public Builder backend(ContractCheckedWireMock backend) {
            backendUrl = () -> {
                if (!backend.isRunning()) {
                    throw new IllegalStateException("the frontend's WireMock backend has not started: register it"
                            + " before the frontend (@Order on both @RegisterExtension fields)");
                }
                return backend.baseUrl();
            };
            return this;
        }

        public Builder backend(String url) {
            backendUrl = () -> url;
            return this;
        }

        /** A variable of the frontend's environment, over the presets of {@link #start}. */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public TestFrontend build() {
            return new TestFrontend(backendUrl, env);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        ownTempDir = Files.createTempDirectory("test-frontend-");
        startIn(ownTempDir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            close();
        } finally {
            if (ownTempDir != null) {
                deleteTree(ownTempDir);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** The frontend's static folder (a copy of the fixture), which a test may edit. */
    public Path staticDir() {
        running();
        return staticDir;
    }

    private Javalin running() {
        if (app == null) {
            throw new IllegalStateException("the frontend is not started: register it with @RegisterExtension");
        }
        return app;
    }

    /** Moves the frontend's clock forward (the real clock plus an offset), instead of sleeping. */
    public void advanceClock(Duration by) {
        clockOffsetMs.addAndGet(by.toMillis());
    }

    /** The system clock plus an offset a test can move forward. */
    private static final class OffsetClock extends Clock {
        private final AtomicLong offsetMs;

        OffsetClock(AtomicLong offsetMs) {
            this.offsetMs = offsetMs;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + offsetMs.get();
        }
    }

    /** @param env extra variables; STATIC_DIR, FRONTEND_INTERNAL_PORT=0 and short timeouts are preset */
    public static TestFrontend start(Path tempDir, String backendUrl, Map<String, String> env) {
        return new TestFrontend(() -> backendUrl, env).startIn(tempDir);
    }

    private TestFrontend startIn(Path tempDir) {
        Path dir = writeStaticFixture(tempDir.resolve("static"));
        Map<String, String> all = new HashMap<>();
        all.put("FRONTEND_INTERNAL_PORT", "0");
        all.put("STATIC_DIR", dir.toString());
        all.put("BACKEND_URL", backendUrl.get());
        all.put("BUILD_VERSION", "1.2.3-test");
        // generous: a loaded CI machine can take over a second for a cold first backend call
        all.put("BACKEND_READ_TIMEOUT_MS", "4000");
        all.put("BACKEND_CALL_TIMEOUT_MS", "8000");
        all.put("FRONTEND_SHUTDOWN_TIMEOUT_MS", "3000");
        virtualThreadsFromEnvironment(all);
        all.putAll(env);
        FrontendConfig config = FrontendConfig.fromEnv(all, tempDir);
        app = FrontendApp.create(
                        config, new FrontendApp.Deps(new OffsetClock(clockOffsetMs), BackendClient.create(config)))
                .start();
        staticDir = dir;
        return this;
    }

    /**
     * The suite runs in the virtual-thread mode of the environment when one is set (.ci/run runs it with
     * FRONTEND_VIRTUAL_THREADS=off and =on); a test that sets its own keeps it.
     */
    public static void virtualThreadsFromEnvironment(Map<String, String> env) {
        String mode = System.getenv("FRONTEND_VIRTUAL_THREADS");
        if (mode != null && !mode.isBlank()) {
            env.putIfAbsent("FRONTEND_VIRTUAL_THREADS", mode);
        }
    }

    public static TestFrontend start(Path tempDir, String backendUrl) {
        return start(tempDir, backendUrl, Map.of());
    }

    public static Path writeStaticFixture(Path dir) {
        try {
            Files.createDirectories(dir.resolve("css"));
            Files.createDirectories(dir.resolve("js"));
            Files.createDirectories(dir.resolve("img"));
            for (String page : new String[] {"index", "login", "register", "weather", "about", "404"}) {
                Files.writeString(dir.resolve(page + ".html"), page(page));
            }
            Files.writeString(dir.resolve("css/style.css"), STYLE);
            Files.writeString(dir.resolve("js/search.js"), "document.title = 'search';\n");
            Files.writeString(dir.resolve("img/logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
            Files.write(dir.resolve("img/favicon.ico"), new byte[] {0, 0, 1, 0, 1, 0});
            Files.writeString(dir.resolve("robots.txt"), "User-agent: *\nDisallow: /api/\n");
            Files.writeString(dir.resolve(".secret"), "hidden");
            return dir;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static String page(String name) {
        return "<!doctype html><html lang=\"en\"><head><title>" + name + "</title>"
                + "<link rel=\"stylesheet\" href=\"/static/css/style.css\"></head><body>"
                + "<ul class=\"flashes\"></ul><main id=\"page-" + name + "\">" + name + " page</main>"
                + "<script src=\"/static/js/search.js\"></script></body></html>";
    }

    /** A served page without the asset versions the frontend adds to its references ({@code ?v=<hash>}). */
    public static String unversioned(String html) {
        return html.replaceAll("\\?v=[A-Za-z0-9_-]+\"", "\"");
    }

    public int port() {
        return running().port();
    }

    public String url(String path) {
        return "http://localhost:" + port() + path;
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET(), headers);
    }

    public HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
        return send(request, HttpResponse.BodyHandlers.ofString(), headers);
    }

    public HttpResponse<byte[]> getBytes(String path, String... headers) {
        return send(
                HttpRequest.newBuilder(URI.create(url(path))).GET(), HttpResponse.BodyHandlers.ofByteArray(), headers);
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.timeout(Duration.ofSeconds(20)).build(), body);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Sends bytes exactly as given (for headers and targets java.net.http refuses) and returns every byte of
     * the answer (as ISO-8859-1 text), framing included.
     */
    public String raw(String request) {
        return RawHttp.wireText(port(), request, Duration.ofSeconds(10));
    }

    public static int statusOf(String rawResponse) {
        return Integer.parseInt(rawResponse.substring(9, 12));
    }

    /** A port nothing listens on. */
    public static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
    }
}
