package dev.whoknows.frontend;

import dev.whoknows.frontend.proxy.BackendClient;
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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** A frontend on a free port with a fixture static folder, driven through real HTTP. */
public final class TestFrontend implements AutoCloseable {

    public static final String STYLE = "body { color: #222; }\n".repeat(40);

    public final Javalin app;
    public final Path staticDir;
    private final AtomicLong clockOffsetMs;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private TestFrontend(Javalin app, Path staticDir, AtomicLong clockOffsetMs) {
        this.app = app;
        this.staticDir = staticDir;
        this.clockOffsetMs = clockOffsetMs;
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
        Path dir = writeStaticFixture(tempDir.resolve("static"));
        Map<String, String> all = new HashMap<>();
        all.put("FRONTEND_INTERNAL_PORT", "0");
        all.put("STATIC_DIR", dir.toString());
        all.put("BACKEND_URL", backendUrl);
        all.put("BUILD_VERSION", "1.2.3-test");
        // generous: a loaded CI machine can take over a second for a cold first backend call
        all.put("BACKEND_READ_TIMEOUT_MS", "4000");
        all.put("BACKEND_CALL_TIMEOUT_MS", "8000");
        all.put("FRONTEND_SHUTDOWN_TIMEOUT_MS", "3000");
        virtualThreadsFromEnvironment(all);
        all.putAll(env);
        FrontendConfig config = FrontendConfig.fromEnv(all, tempDir);
        AtomicLong offset = new AtomicLong();
        Javalin app = FrontendApp.create(
                        config, new FrontendApp.Deps(new OffsetClock(offset), BackendClient.create(config)))
                .start();
        return new TestFrontend(app, dir, offset);
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
        return app.port();
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
        app.stop();
    }
}
