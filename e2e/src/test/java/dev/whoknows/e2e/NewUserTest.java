package dev.whoknows.e2e;

import static dev.whoknows.e2e.SearchPage.waitForState;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

/** What a new user hit (issue 18), as that user sees it in the browser (JavaScript on). */
class NewUserTest {
    @RegisterExtension
    static final WhoKnowsSite site = WhoKnowsSite.withJavaScript();

    private static String status() {
        return site.find("#search-status").getText();
    }

    // ---- search results ----

    @Test
    void aQueryWithMoreThan50MatchesSaysHowManyAndPagesThroughThem() {
        int total = site.backendJson("/api/search?q=a").path("total").asInt();
        assertThat(total).as("the fixture has more than 50 pages with 'a'").isGreaterThan(50);

        site.open("/?q=a");
        assertThat(waitForState(site)).isEqualTo("results");
        assertThat(status()).isEqualTo("Results 1–50 of " + total + " for “a”");
        assertThat(site.findAll("#results .search-result")).hasSize(50);
        assertThat(site.visible("#search-pages a[rel=prev]")).isFalse();
        assertThat(site.find("#search-pages").getText()).contains("Page 1 of 2");

        site.find("#search-pages a[rel=next]").click();
        site.waitForPath("/?q=a&language=en&page=2");
        assertThat(waitForState(site)).isEqualTo("results");
        assertThat(status()).isEqualTo("Results 51–" + total + " of " + total + " for “a”");
        assertThat(site.findAll("#results .search-result")).hasSize(total - 50);
        assertThat(site.visible("#search-pages a[rel=next]")).isFalse();
        site.find("#search-pages a[rel=prev]").click();
        site.waitForPath("/?q=a&language=en");
        assertThat(waitForState(site)).isEqualTo("results");
        assertThat(site.findAll("#results .search-result")).hasSize(50);
    }

    @Test
    void aBackendWithoutThePagingExtensionGetsFirst50AndNoPager() {
        // the course's backend: ignores page and limit, answers only {"data": [...]} (at most 50)
        Object id = site.chrome()
                .executeCdpCommand(
                        "Page.addScriptToEvaluateOnNewDocument",
                        Map.of(
                                "source",
                                "(function () { var real = window.fetch; window.fetch = function (url, init) {"
                                        + " if (String(url).indexOf('/api/search') < 0) return real(url, init);"
                                        + " var plain = String(url).replace(/&(page|limit)=[^&]*/g, '');"
                                        + " return real(plain, init).then(function (r) { return r.json().then(function (b) {"
                                        + "  return new Response(JSON.stringify({ data: b.data }), { status: r.status,"
                                        + "   headers: { 'Content-Type': 'application/json' } }); }); }); }; })();"))
                .get("identifier");
        try {
            site.open("/?q=a");
            assertThat(waitForState(site)).isEqualTo("results");
            assertThat(status()).isEqualTo("First 50 results for “a” (the backend shows no more)");
            assertThat(site.visible("#search-pages")).isFalse();

            site.open("/?q=" + SearchPage.EN_TERM);
            assertThat(waitForState(site)).isEqualTo("results");
            int count = site.findAll("#results .search-result").size();
            assertThat(count).isLessThan(50);
            assertThat(status()).isEqualTo(count + " results for “" + SearchPage.EN_TERM + "”");
        } finally {
            site.chrome().executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", id));
        }
    }

    @Test
    void onlyWholeWordsOrWordBeginningsAreHighlighted() {
        site.open("/?q=a+contain");
        assertThat(waitForState(site)).isEqualTo("results");
        @SuppressWarnings("unchecked")
        List<Map<String, String>> marks = (List<Map<String, String>>) site.script(
                "return Array.from(document.querySelectorAll('.search-result-description mark')).map(function (m) {"
                        + " var before = m.previousSibling ? m.previousSibling.textContent : '';"
                        + " var after = m.nextSibling ? m.nextSibling.textContent : '';"
                        + " return { text: m.textContent, before: before.slice(-1), after: after.slice(0, 1) }; });");
        assertThat(marks).isNotEmpty();
        assertThat(marks).allSatisfy(m -> {
            assertThat(m.get("text").toLowerCase()).isIn("a", "contain");
            assertThat(m.get("before")).as("the mark '%s' starts a word", m).doesNotContainPattern("[\\p{L}\\p{N}]");
        });
        assertThat(marks)
                .as("'contain' marks the start of 'container'")
                .anySatisfy(m ->
                        assertThat(m.get("text").toLowerCase() + m.get("after")).matches("contain\\p{L}"));
    }

    @Test
    void theTitleNamesTheSearchAndDanishResultsAreMarkedDanish() {
        site.open("/?q=" + SearchPage.DA_TERM + "&language=da");
        assertThat(waitForState(site)).isEqualTo("results");
        assertThat(site.driver().getTitle()).isEqualTo(SearchPage.DA_TERM + " – Search | ¿Who Knows?");
        List<WebElement> results = site.findAll("#results .search-result");
        assertThat(results)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.getAttribute("lang")).isEqualTo("da"));

        site.open("/?q=" + SearchPage.EN_TERM);
        assertThat(waitForState(site)).isEqualTo("results");
        assertThat(site.findAll("#results .search-result"))
                .allSatisfy(r -> assertThat(r.getAttribute("lang")).isEqualTo("en"));
        site.open("/");
        assertThat(site.driver().getTitle()).isEqualTo("¿Who Knows?");
    }

    @Test
    void aFailedSearchOffersTryAgain() {
        site.allowFailedRequests("/api/");
        try {
            site.stopBackend();
            site.open("/?q=" + SearchPage.EN_TERM);
            assertThat(waitForState(site)).isEqualTo("error");
            WebElement retry = site.waitForVisible("#search-retry");
            assertThat(retry.getText()).isEqualTo("Try again");

            site.restartBackend();
            retry.click();
            assertThat(waitForState(site)).isEqualTo("results");
            assertThat(site.visible("#search-retry")).isFalse();
            assertThat(site.findAll("#results .search-result")).isNotEmpty();
        } finally {
            site.restartBackend();
        }
    }

    // ---- forms ----

    @Test
    void theLoginIsTheBrowsersOwnFormPostAnsweredWithARedirect() {
        for (int run = 0; run < 8; run++) {
            site.driver().manage().deleteAllCookies();
            Accounts.fillLogin(site, Accounts.DEMO_USER, Accounts.DEMO_PASSWORD);
            site.script("window.wkBeforeTheClick = true");
            site.find("#login-button").click();
            // ChromeDriver's click does not always wait for the navigation it starts: asked right after it,
            // the page was still /login in ~1 of 25 clicks, and / had loaded 130-400 ms later. So this waits
            // for the next page, then checks how it came: a new document (the marker is gone) that arrived
            // through one redirect, i.e. the browser itself posted the form and followed the 303; a script
            // that posted with fetch and then set location would arrive with no redirect.
            site.waitForPath("/");
            assertThat(site.script("return window.wkBeforeTheClick === undefined"))
                    .as("run %d: a new document", run)
                    .isEqualTo(true);
            assertThat(site.script("return performance.getEntriesByType('navigation')[0].redirectCount"))
                    .as("run %d: redirects on the way to /", run)
                    .isEqualTo(1L);
            assertThat(site.flashes()).as("run %d", run).containsExactly("You were logged in");
        }
    }

    @Test
    void aFailedLoginKeepsTheUsernameTheUserTyped() {
        site.allowFailedRequests("/api/login");
        Accounts.login(site, Accounts.DEMO_USER, "not-the-password");
        assertThat(site.currentPath()).isEqualTo("/login");
        assertThat(site.flashes()).containsExactly("Invalid password");
        assertThat(site.find("#username").getAttribute("value")).isEqualTo(Accounts.DEMO_USER);
        assertThat(site.find("#password").getAttribute("value")).isEmpty();
    }

    // ---- long names ----

    @Test
    void aNameOver32CharactersIsRefusedAndA32CharacterNameFitsAPhone() throws Exception {
        site.open("/register");
        Accounts.fillRegister(site, "x".repeat(33), "long@example.com", "secret-123", "secret-123");
        site.find("#register-button").click();
        site.waitForFlash("The username can be at most 32 characters long");
        assertThat(site.currentPath()).isEqualTo("/register");

        // 24 letters + exactly 8 base-36 digits (a number in [36^7, 36^8)): 32 characters, unique per run
        long from = 78_364_164_096L; // 36^7
        String name = "W".repeat(24) + Long.toString(ThreadLocalRandom.current().nextLong(from, from * 36), 36);
        Accounts.register(site, name, "secret-123");
        site.waitForFlash("You were successfully registered and can login now");
        Accounts.login(site, name, "secret-123");
        site.waitForFlash("You were logged in");
        try {
            for (Dimension size :
                    List.of(AccessibilityTest.PHONE, new Dimension(320, 640), AccessibilityTest.DESKTOP)) {
                site.driver().manage().window().setSize(size);
                site.open("/about");
                WebElement logout = site.waitForVisible("#nav-logout");
                assertThat(logout.getAttribute("title")).isEqualTo("Log out " + name);
                long pageWidth = (Long) site.script("return document.documentElement.scrollWidth");
                long viewport = (Long) site.script("return window.innerWidth");
                assertThat(pageWidth).as("page width at %s", size).isLessThanOrEqualTo(viewport);
                long navRight = (Long) site.script(
                        "return Math.ceil(document.getElementById('nav-logout').getBoundingClientRect().right)");
                assertThat(navRight).as("Log out stays on screen at %s", size).isLessThanOrEqualTo(viewport);
                AccessibilityTest.screenshot(site, "long-name-" + size.getWidth());
            }
        } finally {
            site.driver().manage().window().setSize(AccessibilityTest.DESKTOP);
        }
    }

    // ---- small expectations ----

    @Test
    void theDarkColourSchemeFollowsTheSystem() {
        try {
            AccessibilityTest.darkScheme(site, true);
            site.open("/about");
            assertThat(luminance("body")).as("dark page background").isLessThan(0.1);
            assertThat(luminance(".page")).as("dark card").isLessThan(0.1);
            AccessibilityTest.darkScheme(site, false);
            site.open("/about");
            assertThat(luminance("body")).as("light page background").isGreaterThan(0.6);
        } finally {
            AccessibilityTest.darkScheme(site, false);
        }
    }

    private static double luminance(String css) {
        String color =
                (String) site.script("return getComputedStyle(document.querySelector('" + css + "')).backgroundColor");
        var m = java.util.regex.Pattern.compile("rgba?\\((\\d+), (\\d+), (\\d+)")
                .matcher(color);
        assertThat(m.find()).as("a colour: %s", color).isTrue();
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = Integer.parseInt(m.group(i + 1)) / 255.0;
            c[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    @Test
    void robotsTxtKeepsCrawlersOutOfTheApi() throws Exception {
        HttpResponse<String> robots = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(site.url("/robots.txt")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(robots.statusCode()).isEqualTo(200);
        assertThat(robots.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(robots.body()).contains("User-agent: *").contains("Disallow: /api/");
    }
}
