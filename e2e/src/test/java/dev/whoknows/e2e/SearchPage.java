package dev.whoknows.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** What the search tests share: terms from the stub's fixture, waiting for a search, its results. */
final class SearchPage {
    /** Terms the stub's bundled fixture has pages for, in English and in Danish. */
    static final String EN_TERM = "container";

    static final String EN_TWO_TERMS = "container image";
    static final String DA_TERM = "container";
    static final String NO_SUCH_TERM = "qzxjvw";

    private SearchPage() {}

    /** Waits until the search has finished and returns its state: results, empty or error. */
    static String waitForState(WhoKnowsSite site) {
        return site.waitFor("the search to finish", d -> {
            String state = d.findElement(By.id("search-status")).getAttribute("data-state");
            return List.of("results", "empty", "error").contains(state) ? state : null;
        });
    }

    static List<String> titlesOf(WhoKnowsSite site, String q, String language) {
        JsonNode data = site.backendJson("/api/search?q=" + encode(q) + "&language=" + language)
                .get("data");
        List<String> titles = new ArrayList<>();
        data.forEach(page -> titles.add(page.get("title").asText().strip()));
        return titles;
    }

    /** The page lists exactly the backend's results, in its order, with title link, URL and snippet. */
    static void assertShowsBackendResults(WhoKnowsSite site, String q, String language) {
        JsonNode data = site.backendJson("/api/search?q=" + encode(q) + "&language=" + language)
                .get("data");
        assertThat(data.size())
                .as("the fixture has pages for '%s' in %s", q, language)
                .isPositive();

        List<WebElement> results = site.findAll("#results .search-result");
        assertThat(results).hasSize(data.size());
        for (int i = 0; i < data.size(); i++) {
            JsonNode page = data.get(i);
            WebElement result = results.get(i);
            WebElement title = result.findElement(By.cssSelector("a.search-result-title"));
            assertThat(title.getText()).isEqualTo(page.get("title").asText().strip());
            assertThat(title.getAttribute("href")).isEqualTo(page.get("url").asText());
            assertThat(result.getText()).contains(page.get("url").asText());
            assertThat(result.findElement(By.cssSelector(".search-result-description"))
                            .getText())
                    .isNotBlank();
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
