package dev.whoknows.stub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every setting of the stub backend, read from the environment in one place.
 *
 * @param port            BACKEND_INTERNAL_PORT (5050; 0 picks a free port)
 * @param pagesFile       STUB_PAGES_FILE: JSON file replacing the bundled search fixture (empty: bundled)
 * @param logLevel        LOG_LEVEL: trace, debug, info, warn, error or off (info)
 * @param buildVersion    BUILD_VERSION (default: the ./VERSION file if present, else {@code dev})
 * @param faults          STUB_FAULTS: on enables the X-Stub-Delay-Ms / X-Stub-Status headers (off)
 * @param shutdownTimeoutMs STUB_SHUTDOWN_TIMEOUT_MS: how long in-flight requests may finish on stop (5000)
 */
public record StubConfig(
        int port,
        Optional<Path> pagesFile,
        String logLevel,
        String buildVersion,
        boolean faults,
        long shutdownTimeoutMs) {

    public static final int DEFAULT_PORT = 5050;
    private static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

    /** Defaults for everything: what tests start from. */
    public static StubConfig defaults() {
        return fromEnv(Map.of(), null);
    }

    public static StubConfig fromEnv(Map<String, String> env) {
        return fromEnv(env, Path.of("VERSION"));
    }

    /** @param versionFile file holding the build version when BUILD_VERSION is unset (may be null) */
    public static StubConfig fromEnv(Map<String, String> env, Path versionFile) {
        int port = intIn(env, "BACKEND_INTERNAL_PORT", DEFAULT_PORT, 0, 65535);
        Optional<Path> pagesFile = value(env, "STUB_PAGES_FILE").map(v -> readableFile("STUB_PAGES_FILE", v));
        String logLevel =
                value(env, "LOG_LEVEL").map(v -> v.toLowerCase(Locale.ROOT)).orElse("info");
        if (!LOG_LEVELS.contains(logLevel)) {
            throw new ConfigException(
                    "LOG_LEVEL", "must be one of trace, debug, info, warn, error, off", env.get("LOG_LEVEL"));
        }
        String buildVersion = value(env, "BUILD_VERSION").orElseGet(() -> versionFromFile(versionFile));
        boolean faults = onOff(env, "STUB_FAULTS");
        long shutdownTimeoutMs = intIn(env, "STUB_SHUTDOWN_TIMEOUT_MS", 5000, 0, 600_000);
        return new StubConfig(port, pagesFile, logLevel, buildVersion, faults, shutdownTimeoutMs);
    }

    public StubConfig withPort(int newPort) {
        return new StubConfig(newPort, pagesFile, logLevel, buildVersion, faults, shutdownTimeoutMs);
    }

    public StubConfig withFaults(boolean on) {
        return new StubConfig(port, pagesFile, logLevel, buildVersion, on, shutdownTimeoutMs);
    }

    /** A set but blank variable counts as unset. */
    private static Optional<String> value(Map<String, String> env, String name) {
        String raw = env.get(name);
        return raw == null || raw.isBlank() ? Optional.empty() : Optional.of(raw.strip());
    }

    private static int intIn(Map<String, String> env, String name, int fallback, int min, int max) {
        Optional<String> raw = value(env, name);
        if (raw.isEmpty()) {
            return fallback;
        }
        String problem = "must be a whole number from " + min + " to " + max;
        try {
            int parsed = Integer.parseInt(raw.get());
            if (parsed < min || parsed > max) {
                throw new ConfigException(name, problem, raw.get());
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(name, problem, raw.get());
        }
    }

    private static boolean onOff(Map<String, String> env, String name) {
        String raw = value(env, name).orElse("off");
        // only the two words the README documents: "yes", "true" or "1" silently meaning on surprised users
        switch (raw.toLowerCase(Locale.ROOT)) {
            case "on":
                return true;
            case "off":
                return false;
            default:
                throw new ConfigException(name, "must be on or off", raw);
        }
    }

    private static Path readableFile(String name, String raw) {
        Path path = Path.of(raw);
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(name, "no such file", raw);
        }
        if (!Files.isReadable(path)) {
            throw new ConfigException(name, "file is not readable", raw);
        }
        return path;
    }

    private static String versionFromFile(Path versionFile) {
        if (versionFile == null || !Files.isRegularFile(versionFile)) {
            return "dev";
        }
        try {
            String content =
                    Files.readString(versionFile, StandardCharsets.UTF_8).strip();
            return content.isEmpty() ? "dev" : content;
        } catch (IOException e) {
            return "dev";
        }
    }
}
