package dev.whoknows.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

/** The stub is stopped while the frontend keeps running: pages still load and say what is wrong. */
class BackendDownTest {
    @RegisterExtension
    static final WhoKnowsSite site = WhoKnowsSite.withJavaScript();

    static final String UNAVAILABLE = "The WhoKnows backend is unavailable. Please try again in a moment.";

    @BeforeEach
    void downIsExpected() {
        site.allowFailedRequests("/api/");
    }

    @AfterEach
    void backendBack() {
        site.restartBackend();
    }

    @Test
    void searchSaysTheBackendIsUnavailable() {
        site.open("/?q=" + SearchPage.EN_TERM);
        assertThat(SearchPage.waitForState(site)).isEqualTo("results");

        site.stopBackend();
        var input = site.find("#search-input");
        input.clear();
        input.sendKeys(SearchPage.EN_TWO_TERMS, Keys.ENTER);

        assertThat(SearchPage.waitForState(site)).isEqualTo("error");
        assertThat(site.find("#search-status").getText())
                .contains("unavailable")
                .contains("try again");
        assertThat(site.findAll(".search-result")).isEmpty();
        assertThat(site.visible("#nav-login")).isTrue();
    }

    @Test
    void weatherShowsAnErrorAndRecoversWithTryAgain() {
        site.stopBackend();
        site.open("/weather");

        WeatherTest.waitForWeather(site, "error");
        assertThat(site.find("#weather-status").getText()).contains("unavailable");
        assertThat(site.visible("#weather")).isFalse();

        site.restartBackend();
        site.find("#weather-retry").click();
        WeatherTest.waitForWeather(site, "ready");
        assertThat(site.visible("#weather")).isTrue();
        assertThat(site.visible("#weather-retry")).isFalse();
    }

    @Test
    void loginSaysTheBackendIsUnavailableAndStaysOnTheForm() {
        site.stopBackend();
        Accounts.login(site, Accounts.DEMO_USER, Accounts.DEMO_PASSWORD);

        site.waitForFlash(UNAVAILABLE);
        assertThat(site.currentPath()).isEqualTo("/login");
    }
}
