package dev.whoknows.stub.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.whoknows.stub.StubConfig;
import dev.whoknows.stub.TestStub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestStub stub = new TestStub();

    @AfterAll
    static void stop() {
        stub.close();
    }

    private static List<JsonNode> results(String query) throws IOException {
        TestStub.Answer answer = stub.get(query);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        List<JsonNode> list = new ArrayList<>();
        JSON.readTree(answer.body()).path("data").forEach(list::add);
        return list;
    }

    private static boolean contains(JsonNode page, String term) {
        String text = (page.path("title").asText() + " " + page.path("content").asText()).toLowerCase(Locale.ROOT);
        return text.contains(term);
    }

    @Test
    void englishIsTheDefaultAndEveryHitContainsTheTerm() throws IOException {
        List<JsonNode> hits = results("/api/search?q=docker");
        assertThat(hits)
                .hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(p -> assertThat(p.path("language").asText()).isEqualTo("en"))
                .allSatisfy(p -> assertThat(contains(p, "docker")).isTrue());
        assertThat(hits.get(0).path("title").asText()).containsIgnoringCase("docker");
        assertThat(hits.get(0).path("last_updated").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
    }

    @Test
    void danishPagesAnswerDanishQueries() throws IOException {
        List<JsonNode> hits = results("/api/search?q=adgangskode&language=da");
        assertThat(hits)
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.path("language").asText()).isEqualTo("da"))
                .allSatisfy(p -> assertThat(contains(p, "adgangskode")).isTrue());
        assertThat(results("/api/search?q=adgangskode"))
                .as("no Danish words in English pages")
                .isEmpty();
        assertThat(results("/api/search?q=vikingetiden&language=DA"))
                .as("language is case-insensitive")
                .isNotEmpty();
    }

    @Test
    void matchingIgnoresCaseAndKeepsLettersLikeÆØÅ() throws IOException {
        assertThat(results("/api/search?q=KUBERNETES"))
                .extracting(p -> p.path("title").asText())
                .contains("Kubernetes");
        assertThat(results("/api/search?q=%C3%98RSTED&language=da"))
                .isNotEmpty()
                .allSatisfy(p -> assertThat(contains(p, "ørsted")).isTrue());
    }

    @Test
    void everyTermMustOccur() throws IOException {
        List<JsonNode> both = results("/api/search?q=docker+compose");
        assertThat(both)
                .isNotEmpty()
                .allSatisfy(p -> assertThat(contains(p, "docker") && contains(p, "compose"))
                        .isTrue());
        assertThat(results("/api/search?q=docker")).hasSizeGreaterThan(both.size());
        assertThat(results("/api/search?q=docker+photosynthesis")).isEmpty();
    }

    @Test
    void titleHitsRankFirst() throws IOException {
        List<JsonNode> hits = results("/api/search?q=linux");
        assertThat(hits).hasSizeGreaterThan(2);
        boolean seenWithoutTitleHit = false;
        for (JsonNode page : hits) {
            boolean inTitle =
                    page.path("title").asText().toLowerCase(Locale.ROOT).contains("linux");
            assertThat(inTitle && seenWithoutTitleHit)
                    .as("title hit after a content-only hit: %s", page)
                    .isFalse();
            seenWithoutTitleHit |= !inTitle;
        }
        assertThat(hits.get(0).path("title").asText()).isEqualTo("Linux");
        assertThat(seenWithoutTitleHit)
                .as("the query also matches pages by content")
                .isTrue();
    }

    @Test
    void resultsAreCappedAtFifty() throws IOException {
        assertThat(results("/api/search?q=the")).hasSize(PageIndex.MAX_RESULTS);
        assertThat(results("/api/search?q=og&language=da")).hasSize(PageIndex.MAX_RESULTS);
    }

    @Test
    void emptyOrBlankQueryGivesNoResults() throws IOException {
        assertThat(results("/api/search?q=")).isEmpty();
        assertThat(results("/api/search?q=+%20%09")).isEmpty();
        assertThat(results("/api/search?q=zzzznotaword")).isEmpty();
    }

    @Test
    void missingQueryIs422WithTheCourseShape() {
        TestStub.Answer answer = stub.get("/api/search?language=en");
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body()).isEqualTo("{\"statusCode\":422,\"message\":\"Query parameter 'q' is required\"}");
    }

    @Test
    void unknownLanguageIs422NamingIt() {
        TestStub.Answer answer = stub.get("/api/search?q=docker&language=xx");
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body())
                .isEqualTo("{\"statusCode\":422,\"message\":\"Unsupported language 'xx': use one of en, da\"}");
    }

    @Test
    void bundledFixtureIsLargeInBothLanguages() {
        PageIndex index = PageIndex.bundled();
        assertThat(index.size("en")).isGreaterThanOrEqualTo(60);
        assertThat(index.size("da")).isGreaterThanOrEqualTo(55);
    }

    @Test
    void pagesFileReplacesTheFixture(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("pages.json");
        Files.writeString(
                file,
                "[{\"title\":\"Our team wiki\",\"url\":\"https://team.example/wiki\",\"language\":\"en\","
                        + "\"last_updated\":\"2025-01-02\",\"content\":\"How we deploy the WhoKnows stack.\"},"
                        + "{\"title\":\"Vores wiki\",\"url\":\"https://team.example/da\",\"language\":\"da\","
                        + "\"last_updated\":\"2025-01-03\",\"content\":\"Sådan udruller vi.\"}]");
        try (TestStub own = new TestStub(StubConfig.fromEnv(Map.of("STUB_PAGES_FILE", file.toString()), null))) {
            assertThat(own.get("/api/search?q=deploy").body()).contains("Our team wiki");
            assertThat(own.get("/api/search?q=docker").body())
                    .isEqualTo("{\"data\":[],\"total\":0,\"page\":1,\"limit\":50}");
            assertThat(own.get("/api/search?q=udruller&language=da").body()).contains("Vores wiki");
        }
    }
}
