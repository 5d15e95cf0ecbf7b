package dev.whoknows.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrontendConfigTest {

    @TempDir
    Path work;

    private Map<String, String> env(String... pairs) throws IOException {
        Files.createDirectories(work.resolve("static"));
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void defaultsMatchTheDocumentation() throws IOException {
        FrontendConfig config = FrontendConfig.fromEnv(env(), work);
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.backendUrl()).isEqualTo(URI.create("http://localhost:5050"));
        assertThat(config.staticDir())
                .isEqualTo(work.resolve("static").toAbsolutePath().normalize());
        assertThat(config.buildVersion()).isEqualTo("dev");
        assertThat(config.logLevel()).isEqualTo("info");
        assertThat(config.connectTimeoutMs()).isEqualTo(2_000);
        assertThat(config.readTimeoutMs()).isEqualTo(5_000);
        assertThat(config.callTimeoutMs()).isEqualTo(10_000);
        assertThat(config.readyTimeoutMs()).isEqualTo(1_000);
        assertThat(config.shutdownTimeoutMs()).isEqualTo(8_000);
        assertThat(config.maxThreads()).isEqualTo(400);
        assertThat(config.maxProxyRequests()).isEqualTo(256);
        assertThat(config.maxBodyBytes()).isEqualTo(1_048_576);
        assertThat(config.maxHeaderBytes()).isEqualTo(8_192);
        assertThat(config.staticReload()).isTrue();
    }

    @Test
    void staticReloadIsOnOrOff() throws IOException {
        Map<String, String> env = env();
        env.put("STATIC_RELOAD", "OFF");
        assertThat(FrontendConfig.fromEnv(env, work).staticReload()).isFalse();
        env.put("STATIC_RELOAD", "yes");
        assertThatThrownBy(() -> FrontendConfig.fromEnv(env, work))
                .isInstanceOf(FrontendConfig.ConfigException.class)
                .hasMessage("STATIC_RELOAD: must be on or off (got 'yes')");
    }

    @Test
    void valuesAreRead() throws IOException {
        Path other = Files.createDirectories(work.resolve("ui"));
        FrontendConfig config = FrontendConfig.fromEnv(
                env(
                        "FRONTEND_INTERNAL_PORT",
                        "9090",
                        "BACKEND_URL",
                        "https://api.example.org:8443/base/",
                        "STATIC_DIR",
                        other.toString(),
                        "BUILD_VERSION",
                        "2026.11.24-abc123",
                        "LOG_LEVEL",
                        "DEBUG",
                        "BACKEND_CONNECT_TIMEOUT_MS",
                        "100",
                        "BACKEND_READ_TIMEOUT_MS",
                        "200",
                        "BACKEND_CALL_TIMEOUT_MS",
                        "300",
                        "FRONTEND_VIRTUAL_THREADS",
                        "off"),
                work);
        assertThat(config.port()).isEqualTo(9090);
        assertThat(config.backendUrl()).isEqualTo(URI.create("https://api.example.org:8443/base"));
        assertThat(config.staticDir()).isEqualTo(other);
        assertThat(config.buildVersion()).isEqualTo("2026.11.24-abc123");
        assertThat(config.logLevel()).isEqualTo("debug");
        assertThat(config.callTimeoutMs()).isEqualTo(300);
        assertThat(config.virtualThreads()).isFalse();
    }

    @Test
    void versionFileIsTheFallback() throws IOException {
        Map<String, String> env = env();
        Files.writeString(work.resolve("VERSION"), "1.4.0\n");
        assertThat(FrontendConfig.fromEnv(env, work).buildVersion()).isEqualTo("1.4.0");
        env.put("BUILD_VERSION", "9.9.9");
        assertThat(FrontendConfig.fromEnv(env, work).buildVersion()).isEqualTo("9.9.9");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "FRONTEND_INTERNAL_PORT|eighty|FRONTEND_INTERNAL_PORT: must be a whole number from 0 to 65535 (got 'eighty')",
                "FRONTEND_INTERNAL_PORT|70000|FRONTEND_INTERNAL_PORT: must be a whole number from 0 to 65535 (got '70000')",
                "BACKEND_URL|localhost:5050|BACKEND_URL: must be an absolute http:// or https:// URL",
                "BACKEND_URL|ftp://backend:21|BACKEND_URL: must be an absolute http:// or https:// URL",
                "BACKEND_URL|http://user:pw@backend:5050|BACKEND_URL: must not contain user credentials",
                "BACKEND_URL|http://backend:5050/?x=1|BACKEND_URL: must not have a query or fragment",
                "BACKEND_URL|http://back end|BACKEND_URL: must be an absolute",
                "STATIC_DIR|/no/such/folder|STATIC_DIR: is not a directory (got '/no/such/folder')",
                "LOG_LEVEL|verbose|LOG_LEVEL: must be one of trace, debug, info, warn, error, off (got 'verbose')",
                "BACKEND_CONNECT_TIMEOUT_MS|0|BACKEND_CONNECT_TIMEOUT_MS: must be a whole number from 1",
                "BACKEND_READ_TIMEOUT_MS|-5|BACKEND_READ_TIMEOUT_MS: must be a whole number from 1",
                "BACKEND_CALL_TIMEOUT_MS|1.5|BACKEND_CALL_TIMEOUT_MS: must be a whole number",
                "BUILD_VERSION|has spaces in it|BUILD_VERSION: must be 1-64 characters",
                "FRONTEND_MAX_BODY_BYTES|lots|FRONTEND_MAX_BODY_BYTES: must be a whole number",
                "FRONTEND_MAX_PROXY_REQUESTS|399|FRONTEND_MAX_PROXY_REQUESTS: must leave at least 16 of FRONTEND_MAX_THREADS",
                "FRONTEND_VIRTUAL_THREADS|maybe|FRONTEND_VIRTUAL_THREADS: must be one of auto, on, off"
            })
    void badValuesNameTheVariable(String name, String value, String message) throws IOException {
        Map<String, String> env = env(name, value);
        assertThatThrownBy(() -> FrontendConfig.fromEnv(env, work))
                .isInstanceOf(FrontendConfig.ConfigException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void aCallTimeoutBelowTheReadTimeoutIsAConfigError() throws IOException {
        Map<String, String> env = new java.util.HashMap<>(env("BACKEND_READ_TIMEOUT_MS", "5000"));
        env.put("BACKEND_CALL_TIMEOUT_MS", "3000");
        assertThatThrownBy(() -> FrontendConfig.fromEnv(env, work))
                .isInstanceOf(FrontendConfig.ConfigException.class)
                .hasMessage("BACKEND_CALL_TIMEOUT_MS: must not be below BACKEND_READ_TIMEOUT_MS (5000): "
                        + "the whole call includes every wait (got '3000')");
        env.put("BACKEND_CALL_TIMEOUT_MS", "5000");
        assertThat(FrontendConfig.fromEnv(env, work).callTimeoutMs()).isEqualTo(5000);
    }

    @Test
    void mainNamesFrontendInternalPortWhenThePortIsInUse() throws Exception {
        Files.createDirectories(work.resolve("static"));
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            String output = runMain("FRONTEND_INTERNAL_PORT", String.valueOf(taken.getLocalPort()), 1);
            assertThat(output)
                    .contains("port " + taken.getLocalPort() + " is already in use")
                    .contains("set FRONTEND_INTERNAL_PORT to another port");
        }
    }

    @Test
    void mainPrintsOneLineAndExitsWith2OnABadVariable() throws Exception {
        assertThat(runMain("STATIC_DIR", work.resolve("missing").toString()))
                .isEqualTo("config error: STATIC_DIR: is not a directory (got '" + work.resolve("missing") + "')");
        Files.createDirectories(work.resolve("static"));
        assertThat(runMain("BACKEND_URL", "backend:5050"))
                .isEqualTo("config error: BACKEND_URL: must be an absolute http:// or https:// URL "
                        + "such as http://backend:5050 (got 'backend:5050')");
    }

    /** Runs Main in a child JVM with one variable set; returns its output after checking exit code 2. */
    private String runMain(String name, String value) throws Exception {
        return runMain(name, value, 2);
    }

    private String runMain(String name, String value, int exitCode) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName()))
                .redirectErrorStream(true)
                .directory(work.toFile());
        builder.environment()
                .keySet()
                .removeIf(key -> key.startsWith("FRONTEND_")
                        || key.startsWith("BACKEND_")
                        || key.equals("STATIC_DIR")
                        || key.equals("BUILD_VERSION")
                        || key.equals("LOG_LEVEL"));
        builder.environment().put(name, value);
        Process process = builder.start();
        process.getOutputStream().close();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isEqualTo(exitCode);
        return output.strip();
    }
}
