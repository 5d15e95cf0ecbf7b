package dev.whoknows.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;

/**
 * axe-core (the npm package's axe.min.js, from Deque's Maven Central jar) injected into every page,
 * logged out and logged in, at desktop and phone width, in the light and the dark colour scheme:
 * no serious or critical violation. Screenshots of every combination go to target/screenshots/a11y/.
 */
class AccessibilityTest {
    @RegisterExtension
    static final WhoKnowsSite site = WhoKnowsSite.withJavaScript();

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Dimension DESKTOP = new Dimension(1280, 900);
    static final Dimension PHONE = new Dimension(390, 844);
    static final List<String> PAGES = List.of(
            "/",
            "/?q=" + SearchPage.EN_TERM,
            "/?q=" + SearchPage.DA_TERM + "&language=da",
            "/?q=" + SearchPage.NO_SUCH_TERM,
            "/login",
            "/register",
            "/weather",
            "/about",
            "/no-such-page");

    private static String axeSource;

    static String axe() {
        if (axeSource == null) {
            try (InputStream in = AccessibilityTest.class.getResourceAsStream("/axe.min.js")) {
                assertThat(in)
                        .as("axe.min.js on the test classpath (com.deque.html.axe-core:selenium)")
                        .isNotNull();
                axeSource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return axeSource;
    }

    /** The serious and critical violations axe finds on the page the browser shows. */
    static List<String> seriousViolations(WhoKnowsSite site) throws IOException {
        site.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        site.script(axe());
        Object raw = site.chrome()
                .executeAsyncScript(
                        "var done = arguments[arguments.length - 1];"
                                + "axe.run(document, {resultTypes: ['violations']})"
                                + ".then(function (r) { done(JSON.stringify(r.violations)); }, function (e) { done('ERROR ' + e); });");
        String text = String.valueOf(raw);
        assertThat(text).as("axe ran").doesNotStartWith("ERROR");
        List<String> found = new ArrayList<>();
        for (JsonNode violation : JSON.readTree(text)) {
            String impact = violation.path("impact").asText();
            if (impact.equals("serious") || impact.equals("critical")) {
                List<String> nodes = new ArrayList<>();
                violation.path("nodes").forEach(n -> nodes.add(n.path("target").toString()));
                found.add(impact + " " + violation.path("id").asText() + ": "
                        + violation.path("help").asText() + " " + nodes);
            }
        }
        return found;
    }

    static void darkScheme(WhoKnowsSite site, boolean dark) {
        site.chrome()
                .executeCdpCommand(
                        "Emulation.setEmulatedMedia",
                        Map.of(
                                "features",
                                List.of(Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"))));
    }

    /** Opens the page and waits until its scripts are done: session known, search or weather finished. */
    static void openSettled(WhoKnowsSite site, String path) {
        site.open(path);
        site.waitFor(
                "the session to be known",
                d -> "known".equals(site.script("return document.documentElement.dataset.session")));
        if (path.startsWith("/?q=")) {
            SearchPage.waitForState(site);
        } else if (path.equals("/weather")) {
            WeatherTest.waitForWeather(site, "ready");
        }
    }

    static void screenshot(WhoKnowsSite site, String name) throws IOException {
        Path dir = WhoKnowsSite.moduleDir().resolve("target/screenshots/a11y");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), site.chrome().getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void theCheckFindsAViolationWhenThereIsOne() throws IOException {
        openSettled(site, "/about");
        site.script("var img = document.createElement('img'); img.src = '/static/img/logo.svg';"
                + "document.querySelector('main').appendChild(img);"
                + "var b = document.createElement('button'); document.querySelector('main').appendChild(b);");
        assertThat(seriousViolations(site))
                .anySatisfy(v -> assertThat(v).startsWith("critical image-alt"))
                .anySatisfy(v -> assertThat(v).startsWith("critical button-name"));
    }

    @Test
    void everyPageHasNoSeriousViolationsLoggedInAndOutAtBothWidthsInBothSchemes() throws IOException {
        site.allowFailedRequests("/no-such-page");
        List<String> problems = new ArrayList<>();
        List<String> report = new ArrayList<>();
        try {
            for (boolean loggedIn : new boolean[] {false, true}) {
                if (loggedIn) {
                    Accounts.login(site, Accounts.DEMO_USER, Accounts.DEMO_PASSWORD);
                    site.waitForFlash("You were logged in");
                }
                for (boolean dark : new boolean[] {false, true}) {
                    darkScheme(site, dark);
                    for (Dimension size : List.of(DESKTOP, PHONE)) {
                        site.driver().manage().window().setSize(size);
                        for (String path : PAGES) {
                            openSettled(site, path);
                            String where = path + " " + (size.equals(PHONE) ? "phone" : "desktop")
                                    + (dark ? " dark" : " light") + (loggedIn ? " logged-in" : " logged-out");
                            screenshot(site, where.replaceAll("[^A-Za-z0-9-]+", "_"));
                            List<String> found = seriousViolations(site);
                            report.add(where + ": " + found.size());
                            found.forEach(f -> problems.add(where + ": " + f));
                        }
                    }
                }
            }
        } finally {
            darkScheme(site, false);
            site.driver().manage().window().setSize(DESKTOP);
            System.out.println("axe-core "
                    + axe().substring(0, 20).replaceAll("[^0-9.v ]", "").strip()
                    + " serious+critical violations per page:\n  " + String.join("\n  ", report));
        }
        assertThat(problems).as("serious or critical axe-core violations").isEmpty();
    }
}
