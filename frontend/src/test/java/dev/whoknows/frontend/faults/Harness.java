package dev.whoknows.frontend.faults;

import dev.whoknows.frontend.FrontendApp;
import dev.whoknows.frontend.FrontendConfig;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Shared set-up for the fault suite: the real frontend (in-process or as a process) and a fixture site. */
final class Harness {

    /** Timeouts the fault tests configure, short so the suite stays fast. */
    static final int CONNECT_TIMEOUT_MS = 1_000;

    static final int READ_TIMEOUT_MS = 2_500;
    static final int CALL_TIMEOUT_MS = 5_000;

    static final String CSS = "/* fault-suite fixture */ body { color: #123456; }\n";
    static final String INDEX_MARKER = "fault-suite index page";

    private static Path staticDir;

    private Harness() {}

    /** A small static/ folder with every page the frontend maps plus one CSS and one JS asset. */
    static synchronized Path staticDir() {
        if (staticDir != null) {
            return staticDir;
        }
        try {
            Path dir = Files.createTempDirectory("wk-faults-static");
            for (String page : List.of("index", "login", "register", "weather", "about", "404")) {
                String marker = page.equals("index") ? INDEX_MARKER : "fault-suite " + page + " page";
                Files.writeString(
                        dir.resolve(page + ".html"),
                        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                                + "<title>" + marker
                                + "</title><link rel=\"stylesheet\" href=\"/static/css/style.css\"></head>"
                                + "<body><ul class=\"flashes\"></ul><h1>" + marker
                                + "</h1><script src=\"/static/js/app.js\"></script>"
                                + "</body></html>\n",
                        StandardCharsets.UTF_8);
            }
            Files.createDirectories(dir.resolve("css"));
            Files.createDirectories(dir.resolve("js"));
            Files.writeString(dir.resolve("css/style.css"), CSS, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("js/app.js"), "// fault-suite fixture\n", StandardCharsets.UTF_8);
            dir.toFile().deleteOnExit();
            staticDir = dir;
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment a test frontend gets: free port, fixture site, short backend timeouts. */
    static Map<String, String> env(String backendUrl, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("FRONTEND_INTERNAL_PORT", "0");
        env.put("BACKEND_URL", backendUrl);
        env.put("STATIC_DIR", staticDir().toString());
        env.put("LOG_LEVEL", "warn");
        env.put("BUILD_VERSION", "faults");
        env.put("BACKEND_CONNECT_TIMEOUT_MS", String.valueOf(CONNECT_TIMEOUT_MS));
        env.put("BACKEND_READ_TIMEOUT_MS", String.valueOf(READ_TIMEOUT_MS));
        env.put("BACKEND_CALL_TIMEOUT_MS", String.valueOf(CALL_TIMEOUT_MS));
        env.putAll(overrides);
        dev.whoknows.frontend.TestFrontend.virtualThreadsFromEnvironment(env);
        return env;
    }

    static Javalin startFrontend(String backendUrl) {
        return startFrontend(backendUrl, Map.of());
    }

    static Javalin startFrontend(String backendUrl, Map<String, String> overrides) {
        return FrontendApp.create(FrontendConfig.fromEnv(env(backendUrl, overrides)))
                .start();
    }

    /** A port nothing listens on right now (bound, then released). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpClient client() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    static HttpResponse<String> get(HttpClient client, int port, String path, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(timeout)
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Starts {@code mainClass} from this test run's classpath in a new JVM; output goes to {@code log}. */
    static Process startJava(String mainClass, Map<String, String> env, List<String> args, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx128m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Waits until {@code condition} holds; false if it still does not after {@code within}. */
    static boolean await(java.util.function.BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
