package dev.whoknows.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** The ids, classes, names, routes and texts that legacy WhoKnows clients find things by. */
class LegacyMarkupTest {
    @RegisterExtension
    static final WhoKnowsSite site = WhoKnowsSite.withJavaScript();

    @ParameterizedTest
    @ValueSource(strings = {"/", "/search", "/login", "/register", "/weather", "/about", "/no/such/page"})
    void everyPageHasTheLegacyLayout(String path) {
        site.allowFailedRequests("/no/such/page");
        site.open(path);

        assertThat(site.driver().getTitle()).contains("¿Who Knows?");
        assertThat(site.find("#nav-logo").getAttribute("href")).isEqualTo(site.url("/"));
        assertThat(site.find("#nav-logo").getText()).contains("¿Who Knows?");
        WebElement login = site.waitForVisible("#nav-login");
        assertThat(login.getText()).isEqualTo("Log in");
        assertThat(login.getAttribute("href")).isEqualTo(site.url("/login"));
        assertThat(site.find("#nav-register").getText()).isEqualTo("Register");
        assertThat(site.find("#nav-register").getAttribute("href")).isEqualTo(site.url("/register"));
        assertThat(site.visible("#nav-logout")).isFalse();
        assertThat(site.findAll("ul.flashes")).hasSize(1);
        assertThat(site.find("footer").getText()).contains("¿Who Knows? © 2009");
        assertThat(site.find("footer a").getText()).isEqualTo("About");
        assertThat(site.find("footer a").getAttribute("href")).isEqualTo(site.url("/about"));
        for (WebElement input : site.findAll("input, select")) {
            String id = input.getAttribute("id");
            assertThat(site.findAll("label[for='" + id + "']"))
                    .as("label for #%s", id)
                    .hasSize(1);
        }
    }

    @Test
    void theSearchPageHasTheLegacyHooks() {
        site.open("/");
        assertThat(site.find("#search-input").getAttribute("placeholder")).isEqualTo("Search...");
        assertThat(site.find("#search-button").getTagName()).isEqualTo("button");
        assertThat(site.findAll("#results")).hasSize(1);
    }

    @Test
    void theSearchRouteShowsResultsLikeTheRoot() {
        site.open("/search?q=" + SearchPage.EN_TERM);

        assertThat(SearchPage.waitForState(site)).isEqualTo("results");
        assertThat(site.findAll("#results a.search-result-title")).isNotEmpty();
        assertThat(site.findAll("#results .search-result-description"))
                .hasSameSizeAs(site.findAll("#results a.search-result-title"));
        SearchPage.assertShowsBackendResults(site, SearchPage.EN_TERM, "en");
    }

    @Test
    void theLoginFormHasTheLegacyNamesAndPostsToTheApi() {
        site.open("/login");
        assertForm("/api/login", List.of("username", "password"), "login-button");
    }

    @Test
    void theRegisterFormHasTheLegacyNamesAndPostsToTheApi() {
        site.open("/register");
        assertForm("/api/register", List.of("username", "email", "password", "password2"), "register-button");
    }

    @Test
    void oldFileUrlsRedirectToTheCleanOnesKeepingTheQuery() {
        site.open("/login.html");
        assertThat(site.currentPath()).isEqualTo("/login");
        site.open("/index.html?q=" + SearchPage.EN_TERM);
        assertThat(site.currentPath()).isEqualTo("/?q=" + SearchPage.EN_TERM);
        assertThat(SearchPage.waitForState(site)).isEqualTo("results");
    }

    @Test
    void unknownPagesShowTheNotFoundPageInTheSameLayout() {
        site.allowFailedRequests("/no/such/page");
        site.open("/no/such/page");
        assertThat(site.find("main h2").getText()).isEqualTo("Page not found");
        site.find("main a").click();
        site.waitForPath("/");
    }

    @Test
    void theFirstTabReachesTheSkipLinkWhichMovesToTheContent() {
        site.open("/about");
        site.find("body").sendKeys(Keys.TAB);
        WebElement focused = site.driver().switchTo().activeElement();
        assertThat(focused.getText()).isEqualTo("Skip to content");
        assertThat(focused.isDisplayed()).isTrue();
        focused.sendKeys(Keys.ENTER);
        site.waitFor("the skip link to jump to #main", d -> d.getCurrentUrl().endsWith("#main"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/?q=" + SearchPage.EN_TERM, "/login", "/register", "/weather", "/about"})
    void pagesFitAPhoneScreen(String path) {
        Dimension before = site.driver().manage().window().getSize();
        site.driver().manage().window().setSize(new Dimension(375, 740));
        try {
            site.open(path);
            site.waitForVisible("#nav-login");
            Object overflow =
                    site.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(((Number) overflow).longValue())
                    .as("horizontal overflow in px")
                    .isLessThanOrEqualTo(0L);
            for (WebElement control : site.findAll("main input, main button:not([hidden]), main select")) {
                if (control.isDisplayed()) {
                    assertThat(control.getRect().getX() + control.getRect().getWidth())
                            .as("%s fits the screen", control.getAttribute("id"))
                            .isLessThanOrEqualTo(375);
                }
            }
        } finally {
            site.driver().manage().window().setSize(before);
        }
    }

    private static void assertForm(String action, List<String> fields, String buttonId) {
        WebElement form = site.find("main form");
        assertThat(form.getAttribute("action")).isEqualTo(site.url(action));
        assertThat(form.getAttribute("method")).isEqualToIgnoringCase("post");
        for (String field : fields) {
            WebElement input = form.findElement(By.id(field));
            assertThat(input.getAttribute("name")).isEqualTo(field);
            assertThat(site.find("label[for='" + field + "']").getText()).isNotBlank();
        }
        WebElement button = form.findElement(By.id(buttonId));
        assertThat(button.getTagName()).isEqualTo("button");
        assertThat(button.getAttribute("type")).isEqualTo("submit");
    }
}
