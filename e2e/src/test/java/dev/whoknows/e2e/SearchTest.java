package dev.whoknows.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

class SearchTest {
    @RegisterExtension
    static final WhoKnowsSite site = WhoKnowsSite.withJavaScript();

    /** Terms the stub's bundled fixture has pages for, in English and in Danish. */
    static final String EN_TERM = "python";
    static final String EN_TWO_TERMS = "python web";
    static final String DA_TERM = "python";
    static final String NO_SUCH_TERM = "qzxjvw";

    @Test
    void enterInTheSearchBoxPutsTheQueryInTheUrlAndShowsTheBackendsResults() {
        site.open("/");
        WebElement input = site.find("#search-input");
        assertThat(input.getAttribute("placeholder")).isEqualTo("Search...");

        input.sendKeys(EN_TERM, Keys.ENTER);

        assertThat(waitForState()).isEqualTo("results");
        assertThat(site.currentPath()).isEqualTo("/?q=" + EN_TERM + "&language=en");
        assertShowsBackendResults(EN_TERM, "en");
    }

    @Test
    void theSearchButtonSearchesToo() {
        site.open("/");
        site.find("#search-input").sendKeys(EN_TWO_TERMS);
        site.find("#search-button").click();

        assertThat(waitForState()).isEqualTo("results");
        assertThat(site.currentPath()).isEqualTo("/?q=" + encode(EN_TWO_TERMS) + "&language=en");
        assertShowsBackendResults(EN_TWO_TERMS, "en");
    }

    @Test
    void openingAQueryLinkShowsItsResults() {
        site.open("/?q=" + EN_TERM);

        assertThat(waitForState()).isEqualTo("results");
        assertThat(site.find("#search-input").getAttribute("value")).isEqualTo(EN_TERM);
        assertShowsBackendResults(EN_TERM, "en");
    }

    @Test
    void everyQueryTermIsHighlightedInTheSnippets() {
        site.open("/?q=" + encode(EN_TWO_TERMS));
        assertThat(waitForState()).isEqualTo("results");

        List<String> marked = site.findAll(".search-result-description mark").stream()
                .map(m -> m.getText().toLowerCase(Locale.ROOT)).toList();
        assertThat(marked).isNotEmpty();
        assertThat(marked).allSatisfy(text -> assertThat(List.of("python", "web")).contains(text));
        for (WebElement description : site.findAll(".search-result-description")) {
            assertThat(description.getText()).isNotBlank();
        }
    }

    @Test
    void aQueryWithoutMatchesSaysSo() {
        site.open("/");
        site.find("#search-input").sendKeys(NO_SUCH_TERM, Keys.ENTER);

        assertThat(waitForState()).isEqualTo("empty");
        assertThat(site.find("#search-status").getText()).contains("No results").contains(NO_SUCH_TERM);
        assertThat(site.findAll(".search-result-title")).isEmpty();
    }

    @Test
    void danishIsKeptInTheUrlAndSearchesTheDanishPages() {
        site.open("/");
        new Select(site.find("#search-language")).selectByValue("da");
        site.find("#search-input").sendKeys(DA_TERM, Keys.ENTER);

        assertThat(waitForState()).isEqualTo("results");
        assertThat(site.currentPath()).isEqualTo("/?q=" + DA_TERM + "&language=da");
        assertShowsBackendResults(DA_TERM, "da");
        assertThat(titlesOf(DA_TERM, "da")).isNotEqualTo(titlesOf(DA_TERM, "en"));

        site.driver().navigate().refresh();
        assertThat(waitForState()).isEqualTo("results");
        assertThat(new Select(site.find("#search-language")).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("da");
        assertShowsBackendResults(DA_TERM, "da");
    }

    @Test
    void backAndForwardShowTheSearchOfThatUrl() {
        site.open("/?q=" + EN_TERM + "&language=en");
        assertThat(waitForState()).isEqualTo("results");
        WebElement input = site.find("#search-input");
        input.clear();
        input.sendKeys(NO_SUCH_TERM, Keys.ENTER);
        assertThat(waitForState()).isEqualTo("empty");

        site.driver().navigate().back();

        site.waitFor(d -> site.currentPath().equals("/?q=" + EN_TERM + "&language=en"));
        assertThat(waitForState()).isEqualTo("results");
        assertThat(site.find("#search-input").getAttribute("value")).isEqualTo(EN_TERM);
        assertShowsBackendResults(EN_TERM, "en");
    }

    @Test
    void markupInASearchTermIsShownAsText() {
        String attack = "<img src=x id=injected onerror=alert(1)><script>alert(2)</script>";
        site.open("/?q=" + encode(attack));

        assertThat(waitForState()).isEqualTo("empty");
        assertThat(site.find("#search-status").getText()).contains(attack);
        assertThat(site.find("#search-input").getAttribute("value")).isEqualTo(attack);
        assertThat(site.findAll("#injected")).isEmpty();
        assertThat(site.findAll("main script, #results img, #search-status img")).isEmpty();
        site.assertNoAlert();
    }

    // ---- helpers ----

    /** Waits until the search has finished and returns its state: results, empty or error. */
    static String waitForState() {
        return site.waitFor(d -> {
            String state = d.findElement(By.id("search-status")).getAttribute("data-state");
            return List.of("results", "empty", "error").contains(state) ? state : null;
        });
    }

    static List<String> titlesOf(String q, String language) {
        JsonNode data = site.backendJson("/api/search?q=" + encode(q) + "&language=" + language).get("data");
        List<String> titles = new ArrayList<>();
        data.forEach(page -> titles.add(page.get("title").asText().strip()));
        return titles;
    }

    /** The page lists exactly the backend's results, in its order, with title link, URL and snippet. */
    static void assertShowsBackendResults(String q, String language) {
        JsonNode data = site.backendJson("/api/search?q=" + encode(q) + "&language=" + language).get("data");
        assertThat(data.size()).as("the fixture has pages for '%s' in %s", q, language).isPositive();

        List<WebElement> results = site.findAll("#results .search-result");
        assertThat(results).hasSize(data.size());
        for (int i = 0; i < data.size(); i++) {
            JsonNode page = data.get(i);
            WebElement result = results.get(i);
            WebElement title = result.findElement(By.cssSelector("a.search-result-title"));
            assertThat(title.getText()).isEqualTo(page.get("title").asText().strip());
            assertThat(title.getAttribute("href")).isEqualTo(page.get("url").asText());
            assertThat(result.getText()).contains(page.get("url").asText());
            assertThat(result.findElement(By.cssSelector(".search-result-description")).getText()).isNotBlank();
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
