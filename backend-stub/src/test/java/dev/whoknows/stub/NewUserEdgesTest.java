package dev.whoknows.stub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.whoknows.stub.search.PageIndex;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The stub's rough edges a new user hit (issue 18): each case failed before the fix. */
class NewUserEdgesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestStub stub = new TestStub();

    @AfterAll
    static void stop() {
        stub.close();
    }

    private static JsonNode json(TestStub.Answer answer) throws Exception {
        return JSON.readTree(answer.body());
    }

    // ---- search: escapes and paging ----

    @ParameterizedTest(name = "q={0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "%      | incomplete %-escape '%'",
                "%zz    | bad %-escape '%zz'",
                "a%2    | incomplete %-escape '%2'",
                "%C3    | not valid UTF-8: '%C3'",
                "%FF%FE | not valid UTF-8: '%FF%FE'",
            })
    void aBadEscapeInTheQueryIsA400NamingIt(String q, String problem) throws Exception {
        TestStub.Answer answer = stub.raw(
                ("GET /api/search?q=" + q + "&language=en HTTP/1.1\r\nHost: x\r\n" + "Connection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(json(answer).path("message").asText()).isEqualTo("The query string is not valid: " + problem);
        TestStub.checkContract("GET", "/api/search", 400, answer.body());
    }

    @Test
    void wellFormedEscapesStillSearch() throws Exception {
        assertThat(stub.get("/api/search?q=%C3%A6ble&language=da").status()).isEqualTo(200);
        assertThat(json(stub.get("/api/search?q=docker+image")).path("data").size())
                .isPositive();
        assertThat(stub.get("/api/search").status()).isEqualTo(422);
    }

    @Test
    void theAnswerCountsEveryMatchAndPagesThroughThem() throws Exception {
        JsonNode first = json(stub.get("/api/search?q=a"));
        int total = first.path("total").asInt();
        assertThat(first.path("data").size()).isEqualTo(50);
        assertThat(total).as("more than the 50 the course's answer holds").isGreaterThan(50);
        assertThat(first.path("page").asInt()).isEqualTo(1);
        assertThat(first.path("limit").asInt()).isEqualTo(50);

        List<String> all = new ArrayList<>();
        for (int page = 1; page <= (total + 19) / 20; page++) {
            JsonNode slice = json(stub.get("/api/search?q=a&limit=20&page=" + page));
            assertThat(slice.path("total").asInt()).isEqualTo(total);
            slice.path("data").forEach(p -> all.add(p.path("url").asText()));
        }
        assertThat(all).hasSize(total).doesNotHaveDuplicates();
        List<String> firstFifty = new ArrayList<>();
        first.path("data").forEach(p -> firstFifty.add(p.path("url").asText()));
        assertThat(all.subList(0, 50)).isEqualTo(firstFifty);
        assertThat(json(stub.get("/api/search?q=a&page=999")).path("data").size())
                .isZero();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "page=0    | Query parameter 'page' must be a whole number from 1 to 10000 (got '0')",
                "page=x    | Query parameter 'page' must be a whole number from 1 to 10000 (got 'x')",
                "limit=51  | Query parameter 'limit' must be a whole number from 1 to 50 (got '51')",
                "limit=-1  | Query parameter 'limit' must be a whole number from 1 to 50 (got '-1')",
            })
    void badPagingValuesNameTheParameter(String param, String message) throws Exception {
        TestStub.Answer answer = stub.get("/api/search?q=a&" + param);
        assertThat(answer.status()).isEqualTo(422);
        assertThat(json(answer).path("message").asText()).isEqualTo(message);
    }

    // ---- OpenAPI servers ----

    @Test
    void theOpenApiServersUrlIsThePortTheStubRunsOn() throws Exception {
        JsonNode doc = json(stub.get("/openapi.json"));
        assertThat(stub.app().port()).isNotEqualTo(5050);
        assertThat(doc.path("servers").get(0).path("url").asText())
                .isEqualTo("http://localhost:" + stub.app().port());
        assertThat(doc.path("paths")
                        .path("/api/search")
                        .path("get")
                        .path("parameters")
                        .toString())
                .contains("\"page\"")
                .contains("\"limit\"");
    }

    // ---- accounts: limits ----

    @Test
    void usernamesAreOneTo32PrintableCharacters() throws Exception {
        String ok = "u" + "x".repeat(31);
        assertThat(stub.register(ok, "secret-123").status()).isEqualTo(200);
        assertThat(stub.register("æøå-" + System.nanoTime() % 100000, "secret-123")
                        .status())
                .isEqualTo(200);

        TestStub.Answer tooLong = stub.register("u" + "x".repeat(32), "secret-123");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(json(tooLong).path("message").asText()).isEqualTo("The username can be at most 32 characters long");
        TestStub.Answer huge = stub.register("y".repeat(5000), "secret-123");
        assertThat(huge.status()).isEqualTo(400);

        TestStub.Answer control = stub.register("bell\u0007", "secret-123");
        assertThat(control.status()).isEqualTo(400);
        assertThat(json(control).path("message").asText())
                .isEqualTo("The username can only contain printable characters");
        assertThat(stub.register("zero\u200bwidth", "secret-123").status()).isEqualTo(400);
    }

    @Test
    void passwordsAreAtMost256Characters() throws Exception {
        assertThat(stub.register("pw256-" + System.nanoTime() % 100000, "p".repeat(256))
                        .status())
                .isEqualTo(200);
        TestStub.Answer tooLong = stub.register("pw257-" + System.nanoTime() % 100000, "p".repeat(257));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(json(tooLong).path("message").asText()).isEqualTo("The password can be at most 256 characters long");
    }

    // ---- weather ----

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-24T03:10:00Z",
                "2026-11-24T07:59:59Z",
                "2026-11-24T08:00:00Z",
                "2026-07-01T00:30:00Z",
                "2026-11-24T15:00:00Z"
            })
    void theWeatherIsNeverUpdatedInTheFuture(String instant) throws Exception {
        try (TestStub at = new TestStub(
                StubConfig.defaults(), Clock.fixed(Instant.parse(instant), dev.whoknows.stub.weather.Forecast.ZONE))) {
            JsonNode data = json(at.get("/api/weather")).path("data");
            OffsetDateTime updated = OffsetDateTime.parse(data.path("updated").asText());
            assertThat(updated.toInstant()).isBeforeOrEqualTo(Instant.parse(instant));
            assertThat(updated.toInstant()).isAfter(Instant.parse(instant).minusSeconds(24 * 3600));
        }
    }

    // ---- configuration ----

    @ParameterizedTest
    @ValueSource(strings = {"yes", "true", "1", "no", "false", "0", "enabled"})
    void stubFaultsIsOnlyOnOrOff(String value) {
        assertThatThrownBy(() -> StubConfig.fromEnv(Map.of("STUB_FAULTS", value), null))
                .isInstanceOf(ConfigException.class)
                .hasMessage("STUB_FAULTS: must be on or off (got '" + value + "')");
        assertThat(StubConfig.fromEnv(Map.of("STUB_FAULTS", "ON"), null).faults())
                .isTrue();
        assertThat(StubConfig.fromEnv(Map.of("STUB_FAULTS", "off"), null).faults())
                .isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "'[{\"title\": \"t\",}]'               | line 1, column 16: unexpected character '}': was expecting double-quote to start field name",
                "'[\n  {\"title\": \"t\"'                | line 2, column 16: the file ends too early: expected a closing } for an object",
                "'[{\"title\": nope}]'                 | line 1, column 12: unrecognized token 'nope'",
            })
    void aBadPagesFileNamesLineColumnAndProblemInWords(String content, String expected, @TempDir Path dir)
            throws Exception {
        Path file = Files.writeString(dir.resolve("pages.json"), content);
        assertThatThrownBy(() -> PageIndex.fromFile(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("STUB_PAGES_FILE: not valid JSON at " + expected)
                .satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain("Source", "code ", "marker", "Feature", "REDACTED", "JsonParser"));
    }
}
