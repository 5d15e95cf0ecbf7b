package dev.whoknows.frontend;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Everything the frontend reads from its environment, validated in one place.
 * Timeouts and limits are in milliseconds and bytes.
 */
public record FrontendConfig(
        int port,
        URI backendUrl,
        Path staticDir,
        boolean staticReload,
        String buildVersion,
        String logLevel,
        int connectTimeoutMs,
        int readTimeoutMs,
        int callTimeoutMs,
        int readyTimeoutMs,
        int shutdownTimeoutMs,
        int maxThreads,
        int maxProxyRequests,
        int backendPoolSize,
        long maxBodyBytes,
        int maxHeaderBytes,
        boolean virtualThreads) {

    public static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

    /** A configuration problem, reported as {@code VARIABLE: what is wrong (got 'value')}. */
    public static final class ConfigException extends RuntimeException {
        private final String variable;

        public ConfigException(String variable, String problem, String value) {
            super(variable + ": " + problem + (value == null ? "" : " (got '" + value + "')"));
            this.variable = variable;
        }

        public String variable() {
            return variable;
        }
    }

    public static FrontendConfig fromEnv(Map<String, String> env) {
        return fromEnv(env, Path.of("").toAbsolutePath());
    }

    /** @param workDir where the {@code static} folder and {@code VERSION} file are looked up by default */
    public static FrontendConfig fromEnv(Map<String, String> env, Path workDir) {
        Env e = new Env(env);
        int maxThreads = e.integer("FRONTEND_MAX_THREADS", 400, 32, 10_000);
        int maxProxy = e.integer("FRONTEND_MAX_PROXY_REQUESTS", 256, 1, 100_000);
        if (maxProxy > maxThreads - 16) {
            throw new ConfigException(
                    "FRONTEND_MAX_PROXY_REQUESTS",
                    "must leave at least 16 of FRONTEND_MAX_THREADS (" + maxThreads + ") for pages and assets",
                    String.valueOf(maxProxy));
        }
        int readTimeout = e.integer("BACKEND_READ_TIMEOUT_MS", 5_000, 1, 600_000);
        int callTimeout = e.integer("BACKEND_CALL_TIMEOUT_MS", 10_000, 1, 600_000);
        if (callTimeout < readTimeout) {
            // the whole call would always end before the longest allowed silence: the read timeout is dead
            throw new ConfigException(
                    "BACKEND_CALL_TIMEOUT_MS",
                    "must not be below BACKEND_READ_TIMEOUT_MS (" + readTimeout
                            + "): the whole call includes every wait",
                    String.valueOf(callTimeout));
        }
        return new FrontendConfig(
                e.integer("FRONTEND_INTERNAL_PORT", 8080, 0, 65_535),
                backendUrl(e.text("BACKEND_URL", "http://localhost:5050")),
                staticDir(e.raw("STATIC_DIR"), workDir),
                onOff("STATIC_RELOAD", e.text("STATIC_RELOAD", "on")),
                buildVersion(e.raw("BUILD_VERSION"), workDir),
                logLevel(e.text("LOG_LEVEL", "info")),
                e.integer("BACKEND_CONNECT_TIMEOUT_MS", 2_000, 1, 600_000),
                readTimeout,
                callTimeout,
                e.integer("FRONTEND_READY_TIMEOUT_MS", 1_000, 1, 60_000),
                e.integer("FRONTEND_SHUTDOWN_TIMEOUT_MS", 8_000, 0, 600_000),
                maxThreads,
                maxProxy,
                e.integer("FRONTEND_BACKEND_POOL_SIZE", 64, 1, 10_000),
                e.integer("FRONTEND_MAX_BODY_BYTES", 1_048_576, 0, Integer.MAX_VALUE),
                e.integer("FRONTEND_MAX_HEADER_BYTES", 8_192, 1_024, 1_048_576),
                virtualThreads(e.text("FRONTEND_VIRTUAL_THREADS", "auto")));
    }

    private static URI backendUrl(String value) {
        String problem = "must be an absolute http:// or https:// URL such as http://backend:5050";
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException ex) {
            throw new ConfigException("BACKEND_URL", problem, value);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https"))
                || uri.getHost() == null
                || uri.getHost().isEmpty()) {
            throw new ConfigException("BACKEND_URL", problem, value);
        }
        if (uri.getRawUserInfo() != null) {
            throw new ConfigException("BACKEND_URL", "must not contain user credentials", value);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigException("BACKEND_URL", "must not have a query or fragment", value);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + uri.getRawAuthority() + path);
    }

    private static Path staticDir(String value, Path workDir) {
        if (value == null || value.isBlank()) {
            Path local = workDir.resolve("static");
            Path dir = Files.isDirectory(local) ? local : Path.of("/app/static");
            if (!Files.isDirectory(dir)) {
                throw new ConfigException(
                        "STATIC_DIR", "not set, and neither ./static nor /app/static is a directory", null);
            }
            return dir.toAbsolutePath().normalize();
        }
        Path dir;
        try {
            dir = workDir.resolve(value.trim()).toAbsolutePath().normalize();
        } catch (InvalidPathException ex) {
            throw new ConfigException("STATIC_DIR", "is not a valid path", value);
        }
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("STATIC_DIR", "is not a directory", value);
        }
        if (!Files.isReadable(dir)) {
            throw new ConfigException("STATIC_DIR", "is not readable", value);
        }
        return dir;
    }

    private static String buildVersion(String value, Path workDir) {
        String version = value;
        if (version == null || version.isBlank()) {
            Path file = workDir.resolve("VERSION");
            if (!Files.isRegularFile(file)) {
                return "dev";
            }
            try {
                version = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException ex) {
                throw new ConfigException(
                        "BUILD_VERSION", "not set and ./VERSION cannot be read: " + ex.getMessage(), null);
            }
            if (version.isEmpty()) {
                return "dev";
            }
        }
        version = version.strip();
        if (!version.matches("[A-Za-z0-9._+-]{1,64}")) {
            throw new ConfigException(
                    "BUILD_VERSION",
                    "must be 1-64 characters of letters, digits and . _ + - (from the variable or ./VERSION)",
                    version);
        }
        return version;
    }

    private static String logLevel(String value) {
        String level = value.toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            throw new ConfigException("LOG_LEVEL", "must be one of trace, debug, info, warn, error, off", value);
        }
        return level;
    }

    private static boolean onOff(String variable, String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "on":
                return true;
            case "off":
                return false;
            default:
                throw new ConfigException(variable, "must be on or off", value);
        }
    }

    private static boolean virtualThreads(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "auto":
                return Runtime.version().feature() >= 21;
            case "on":
                if (Runtime.version().feature() < 21) {
                    throw new ConfigException(
                            "FRONTEND_VIRTUAL_THREADS",
                            "'on' needs Java 21 or newer; this is Java "
                                    + Runtime.version().feature(),
                            value);
                }
                return true;
            case "off":
                return false;
            default:
                throw new ConfigException("FRONTEND_VIRTUAL_THREADS", "must be one of auto, on, off", value);
        }
    }

    private static final class Env {
        private final Map<String, String> env;

        Env(Map<String, String> env) {
            this.env = env;
        }

        String raw(String name) {
            return env.get(name);
        }

        String text(String name, String fallback) {
            String value = env.get(name);
            return value == null || value.isBlank() ? fallback : value.strip();
        }

        int integer(String name, int fallback, int min, int max) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            try {
                long parsed = Long.parseLong(value.strip());
                if (parsed >= min && parsed <= max) {
                    return (int) parsed;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new ConfigException(name, "must be a whole number from " + min + " to " + max, value);
        }
    }
}
