package dev.whoknows.e2e;

import static dev.whoknows.e2e.SearchPage.DA_TERM;
import static dev.whoknows.e2e.SearchPage.EN_TERM;
import static dev.whoknows.e2e.SearchPage.EN_TWO_TERMS;
import static dev.whoknows.e2e.SearchPage.NO_SUCH_TERM;
import static dev.whoknows.e2e.SearchPage.assertShowsBackendResults;
import static dev.whoknows.e2e.SearchPage.encode;
import static dev.whoknows.e2e.SearchPage.titlesOf;
import static dev.whoknows.e2e.SearchPage.waitForState;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

class SearchTest {
    @RegisterExtension
    static final WhoKnowsSite site = WhoKnowsSite.withJavaScript();

    @Test
    void enterInTheSearchBoxPutsTheQueryInTheUrlAndShowsTheBackendsResults() {
        site.open("/");
        WebElement input = site.find("#search-input");
        assertThat(input.getAttribute("placeholder")).isEqualTo("Search...");

        input.sendKeys(EN_TERM, Keys.ENTER);

        assertThat(waitForState(site)).isEqualTo("results");
        assertThat(site.currentPath()).isEqualTo("/?q=" + EN_TERM + "&language=en");
        assertShowsBackendResults(site, EN_TERM, "en");
    }

    @Test
    void theSearchButtonSearchesToo() {
        site.open("/");
        site.find("#search-input").sendKeys(EN_TWO_TERMS);
        site.find("#search-button").click();

        assertThat(waitForState(site)).isEqualTo("results");
        assertThat(site.currentPath()).isEqualTo("/?q=" + encode(EN_TWO_TERMS) + "&language=en");
        assertShowsBackendResults(site, EN_TWO_TERMS, "en");
    }

    @Test
    void saysItIsSearchingUntilTheAnswerArrives() {
        site.open("/");
        site.slowNetwork(1500);
        site.find("#search-input").sendKeys(EN_TERM, Keys.ENTER);

        site.waitFor(
                "the searching state",
                d -> "searching".equals(site.find("#search-status").getAttribute("data-state")));
        assertThat(site.find("#search-status").getText()).isEqualTo("Searching…");
        assertThat(site.find("#results").getAttribute("aria-busy")).isEqualTo("true");

        assertThat(waitForState(site)).isEqualTo("results");
        assertThat(site.find("#results").getAttribute("aria-busy")).isEqualTo("false");
    }

    @Test
    void openingAQueryLinkShowsItsResults() {
        site.open("/?q=" + EN_TERM);

        assertThat(waitForState(site)).isEqualTo("results");
        assertThat(site.find("#search-input").getAttribute("value")).isEqualTo(EN_TERM);
        assertShowsBackendResults(site, EN_TERM, "en");
    }

    @Test
    void everyQueryTermIsHighlightedInTheSnippets() {
        site.open("/?q=" + encode(EN_TWO_TERMS));
        assertThat(waitForState(site)).isEqualTo("results");

        List<String> marked = site.findAll(".search-result-description mark").stream()
                .map(m -> m.getText().toLowerCase(Locale.ROOT))
                .toList();
        assertThat(marked).isNotEmpty();
        assertThat(marked)
                .allSatisfy(text -> assertThat(List.of(EN_TWO_TERMS.split(" "))).contains(text));
        for (WebElement description : site.findAll(".search-result-description")) {
            assertThat(description.getText()).isNotBlank();
        }
    }

    @Test
    void aQueryWithoutMatchesSaysSo() {
        site.open("/");
        site.find("#search-input").sendKeys(NO_SUCH_TERM, Keys.ENTER);

        assertThat(waitForState(site)).isEqualTo("empty");
        assertThat(site.find("#search-status").getText()).contains("No results").contains(NO_SUCH_TERM);
        assertThat(site.findAll(".search-result-title")).isEmpty();
    }

    @Test
    void danishIsKeptInTheUrlAndSearchesTheDanishPages() {
        site.open("/");
        new Select(site.find("#search-language")).selectByValue("da");
        site.find("#search-input").sendKeys(DA_TERM, Keys.ENTER);

        assertThat(waitForState(site)).isEqualTo("results");
        assertThat(site.currentPath()).isEqualTo("/?q=" + DA_TERM + "&language=da");
        assertShowsBackendResults(site, DA_TERM, "da");
        assertThat(titlesOf(site, DA_TERM, "da")).isNotEqualTo(titlesOf(site, DA_TERM, "en"));

        site.driver().navigate().refresh();
        assertThat(waitForState(site)).isEqualTo("results");
        assertThat(new Select(site.find("#search-language"))
                        .getFirstSelectedOption()
                        .getAttribute("value"))
                .isEqualTo("da");
        assertShowsBackendResults(site, DA_TERM, "da");
    }

    @Test
    void backAndForwardShowTheSearchOfThatUrl() {
        site.open("/?q=" + EN_TERM + "&language=en");
        assertThat(waitForState(site)).isEqualTo("results");
        WebElement input = site.find("#search-input");
        input.clear();
        input.sendKeys(NO_SUCH_TERM, Keys.ENTER);
        assertThat(waitForState(site)).isEqualTo("empty");

        site.driver().navigate().back();

        site.waitForPath("/?q=" + EN_TERM + "&language=en");
        assertThat(waitForState(site)).isEqualTo("results");
        assertThat(site.find("#search-input").getAttribute("value")).isEqualTo(EN_TERM);
        assertShowsBackendResults(site, EN_TERM, "en");
    }

    @Test
    void markupInASearchTermIsShownAsText() {
        String attack = "<img src=x id=injected onerror=alert(1)><script>alert(2)</script>";
        site.open("/?q=" + encode(attack));

        assertThat(waitForState(site)).isEqualTo("empty");
        assertThat(site.find("#search-status").getText()).contains(attack);
        assertThat(site.find("#search-input").getAttribute("value")).isEqualTo(attack);
        assertThat(site.findAll("#injected")).isEmpty();
        assertThat(site.findAll("main script, #results img, #search-status img"))
                .isEmpty();
        site.assertNoAlert();
    }
}
