package dev.whoknows.stub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.whoknows.stub.search.PageIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StubConfigTest {

    @Test
    void defaults() {
        StubConfig config = StubConfig.fromEnv(Map.of(), null);
        assertThat(config.port()).isEqualTo(5050);
        assertThat(config.pagesFile()).isEmpty();
        assertThat(config.logLevel()).isEqualTo("info");
        assertThat(config.buildVersion()).isEqualTo("dev");
        assertThat(config.faults()).isFalse();
        assertThat(config.shutdownTimeoutMs()).isEqualTo(5000);
    }

    @Test
    void everyVariableIsRead(@TempDir Path dir) throws IOException {
        Path pages = Files.writeString(dir.resolve("p.json"), "[]");
        StubConfig config = StubConfig.fromEnv(
                Map.of(
                        "BACKEND_INTERNAL_PORT",
                        "5200",
                        "STUB_PAGES_FILE",
                        pages.toString(),
                        "LOG_LEVEL",
                        "DEBUG",
                        "BUILD_VERSION",
                        "1.2.3",
                        "STUB_FAULTS",
                        "on",
                        "STUB_SHUTDOWN_TIMEOUT_MS",
                        "250"),
                null);
        assertThat(config).isEqualTo(new StubConfig(5200, Optional.of(pages), "debug", "1.2.3", true, 250));
    }

    @Test
    void buildVersionFallsBackToTheVersionFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("VERSION"), "abc123\n");
        assertThat(StubConfig.fromEnv(Map.of(), file).buildVersion()).isEqualTo("abc123");
        assertThat(StubConfig.fromEnv(Map.of("BUILD_VERSION", "env"), file).buildVersion())
                .isEqualTo("env");
        assertThat(StubConfig.fromEnv(Map.of(), dir.resolve("missing")).buildVersion())
                .isEqualTo("dev");
    }

    @Test
    void blankCountsAsUnset() {
        assertThat(StubConfig.fromEnv(Map.of("BACKEND_INTERNAL_PORT", " ", "STUB_FAULTS", ""), null)
                        .port())
                .isEqualTo(5050);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "BACKEND_INTERNAL_PORT | abc | BACKEND_INTERNAL_PORT: must be a whole number from 0 to 65535 (got 'abc')",
                "BACKEND_INTERNAL_PORT | 70000 | BACKEND_INTERNAL_PORT: must be a whole number from 0 to 65535 (got '70000')",
                "BACKEND_INTERNAL_PORT | -1 | BACKEND_INTERNAL_PORT: must be a whole number from 0 to 65535 (got '-1')",
                "LOG_LEVEL | loud | LOG_LEVEL: must be one of trace, debug, info, warn, error, off (got 'loud')",
                "STUB_FAULTS | maybe | STUB_FAULTS: must be on or off (got 'maybe')",
                "STUB_SHUTDOWN_TIMEOUT_MS | soon | STUB_SHUTDOWN_TIMEOUT_MS: must be a whole number from 0 to 600000 (got 'soon')",
                "STUB_PAGES_FILE | /no/such/pages.json | STUB_PAGES_FILE: no such file (got '/no/such/pages.json')",
            })
    void badValuesNameTheVariable(String name, String value, String message) {
        assertThatThrownBy(() -> StubConfig.fromEnv(Map.of(name, value), null))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{not json                                       | not valid JSON at line 1",
                "{\"pages\": []}                                 | expected a JSON array of pages",
                "[42]                                            | page #1 is not a JSON object",
                "[{\"title\":\"t\"}]                             | page #1: \"url\" must be a non-empty string",
                "[{\"title\":\"t\",\"url\":\"ftp://x\",\"language\":\"en\",\"last_updated\":\"2024-01-01\",\"content\":\"c\"}] | url 'ftp://x' is not an absolute http(s) URL",
                "[{\"title\":\"t\",\"url\":\"https://x\",\"language\":\"de\",\"last_updated\":\"2024-01-01\",\"content\":\"c\"}] | language 'de' is not one of en, da",
                "[{\"title\":\"t\",\"url\":\"https://x\",\"language\":\"en\",\"last_updated\":\"May 2024\",\"content\":\"c\"}] | last_updated 'May 2024' is not a date like 2024-05-17",
            })
    void badPagesFilesAreConfigErrors(String content, String problem, @TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("pages.json"), content);
        assertThatThrownBy(() -> PageIndex.fromFile(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("STUB_PAGES_FILE: ")
                .hasMessageContaining(problem)
                .hasMessageEndingWith("(got '" + file + "')");
    }

    @Test
    void pagesFileMayWrapPagesInData(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(
                dir.resolve("pages.json"),
                "{\"data\":[{\"title\":\"t\",\"url\":\"https://x.dk\","
                        + "\"language\":\"da\",\"last_updated\":\"2024-01-01\",\"content\":\"hej\"}]}");
        assertThat(PageIndex.fromFile(file).search("hej", "da")).hasSize(1);
    }
}
