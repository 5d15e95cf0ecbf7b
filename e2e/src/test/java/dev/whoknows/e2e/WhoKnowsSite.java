package dev.whoknows.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.whoknows.frontend.FrontendApp;
import dev.whoknows.frontend.FrontendConfig;
import dev.whoknows.stub.StubApp;
import dev.whoknows.stub.StubConfig;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One WhoKnows stack per test class: the real stub backend and the real frontend (serving the repo's
 * static/) in-process on free ports, and one headless Chromium shared by the class's tests.
 * Register it as a static field with {@code @RegisterExtension}.
 *
 * <p>Before each test the browser's cookies are cleared. After each test the browser console must
 * hold no errors, except failed requests the test expects ({@link #allowFailedRequests}): Chromium
 * logs every 4xx/5xx response, also those the page handles. On failure a screenshot and the page
 * source go to {@code target/screenshots/}.
 */
public final class WhoKnowsSite
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, TestWatcher {

    static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean javascript;
    private final java.time.Clock stubClock;
    private Javalin stub;
    private int stubPort;
    private Javalin frontend;
    private String base;
    private ChromeDriver driver;
    private Path profile;
    private final List<String> allowedFailures = new ArrayList<>();
    private Optional<String> skipReason = Optional.empty();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private WhoKnowsSite(boolean javascript, java.time.Clock stubClock) {
        this.javascript = javascript;
        this.stubClock = stubClock;
    }

    public static WhoKnowsSite withJavaScript() {
        return new WhoKnowsSite(true, java.time.Clock.system(dev.whoknows.stub.weather.Forecast.ZONE));
    }

    public static WhoKnowsSite withoutJavaScript() {
        return new WhoKnowsSite(false, java.time.Clock.system(dev.whoknows.stub.weather.Forecast.ZONE));
    }

    /** JavaScript on, the stub's clock fixed at instant (its weather, sessions and throttle see that time). */
    public static WhoKnowsSite withJavaScriptAt(String instant) {
        return new WhoKnowsSite(
                true, java.time.Clock.fixed(java.time.Instant.parse(instant), dev.whoknows.stub.weather.Forecast.ZONE));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        skipReason = Chromium.missing();
        if (skipReason.isPresent()) {
            System.err.println("e2e: " + context.getDisplayName() + " " + skipReason.get());
            return;
        }
        startBackend(0);
        frontend = FrontendApp.create(FrontendConfig.fromEnv(Map.of(
                "FRONTEND_INTERNAL_PORT",
                "0",
                "BACKEND_URL",
                "http://127.0.0.1:" + stubPort,
                "STATIC_DIR",
                staticDir().toString(),
                "BUILD_VERSION",
                "e2e")));
        frontend.start();
        base = "http://127.0.0.1:" + frontend.port();
        profile = Chromium.newProfile();
        driver = Chromium.start(javascript, profile);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (frontend != null) {
                frontend.stop();
            }
            stopBackend();
            deleteProfile();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        skipReason.ifPresent(Assumptions::abort);
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        slowNetwork(0);
        allowedFailures.clear();
        consoleErrors(); // drop what earlier tests left
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (driver == null) {
            return;
        }
        List<String> errors = consoleErrors();
        if (!errors.isEmpty()) {
            throw new AssertionError("the browser console has errors:\n  " + String.join("\n  ", errors));
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (driver == null) {
            return;
        }
        String name = context.getRequiredTestClass().getSimpleName() + "."
                + context.getRequiredTestMethod().getName();
        Path dir = moduleDir().resolve("target/screenshots");
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
            Files.writeString(
                    dir.resolve(name + ".html"), "<!-- " + driver.getCurrentUrl() + " -->\n" + driver.getPageSource());
            System.err.println("e2e: screenshot of the failed test at " + dir.resolve(name + ".png"));
        } catch (IOException | RuntimeException e) {
            System.err.println("e2e: could not save a screenshot for " + name + ": " + e);
        }
    }

    // ---- the stack ----

    /** Stops the stub backend: the frontend keeps running and now finds nothing at BACKEND_URL. */
    public void stopBackend() {
        if (stub != null) {
            stub.stop();
            stub = null;
        }
    }

    /** Starts the stub again, if stopped, on the port the frontend was configured with. */
    public void restartBackend() {
        if (stub == null && frontend != null) {
            startBackend(stubPort);
        }
    }

    private void startBackend(int port) {
        stub = StubApp.create(
                StubConfig.fromEnv(Map.of("BACKEND_INTERNAL_PORT", String.valueOf(port), "BUILD_VERSION", "e2e")),
                stubClock);
        stub.start();
        stubPort = stub.port();
    }

    /** A JSON answer of the stub backend, asked directly (what the page should show). */
    public JsonNode backendJson(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stubPort + pathAndQuery))
                .header("Accept", "application/json")
                .timeout(WAIT)
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError(
                        "backend answered " + response.statusCode() + " to " + pathAndQuery + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- the browser ----

    public WebDriver driver() {
        return driver;
    }

    /** The browser with Chromium's extras: DevTools commands, async scripts, screenshots. */
    public ChromeDriver chrome() {
        return driver;
    }

    public String url(String pathAndQuery) {
        return base + pathAndQuery;
    }

    /** The path and query of the page the browser shows, e.g. {@code /login} or {@code /?q=x}. */
    public String currentPath() {
        URI uri = URI.create(driver.getCurrentUrl());
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    public void open(String pathAndQuery) {
        driver.get(url(pathAndQuery));
    }

    public Object script(String javascript) {
        return driver.executeScript(javascript);
    }

    /** Waits (explicitly, up to WAIT) until condition returns non-null / true. */
    public <T> T waitFor(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT)
                .withMessage(() -> what + " (page " + currentPath() + ", flashes " + flashes() + ")")
                .until(condition);
    }

    public void waitForPath(String pathAndQuery) {
        waitFor("the browser to be at " + pathAndQuery, d -> currentPath().equals(pathAndQuery));
    }

    public WebElement waitForVisible(String css) {
        return waitFor(css + " to be visible", d -> visible(css) ? find(css) : null);
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Texts of the messages in ul.flashes. */
    public List<String> flashes() {
        return findAll("ul.flashes > li").stream().map(WebElement::getText).toList();
    }

    /** Waits until ul.flashes holds an item with exactly this text, and returns that item. */
    public WebElement waitForFlash(String text) {
        return waitFor(
                "a flash '" + text + "'",
                d -> d.findElements(By.cssSelector("ul.flashes > li")).stream()
                        .filter(li -> li.getText().strip().equals(text))
                        .findFirst()
                        .orElse(null));
    }

    public boolean visible(String css) {
        return findAll(css).stream().anyMatch(WebElement::isDisplayed);
    }

    /** Every request of the browser takes at least latencyMs longer (0: back to normal). */
    public void slowNetwork(int latencyMs) {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand(
                "Network.emulateNetworkConditions",
                Map.of("offline", false, "latency", latencyMs, "downloadThroughput", -1, "uploadThroughput", -1));
    }

    /** Fails when a JavaScript alert is open (what an injected script would show). */
    public void assertNoAlert() {
        try {
            String text = driver.switchTo().alert().getText();
            throw new AssertionError("an alert opened: " + text);
        } catch (NoAlertPresentException expected) {
            // nothing ran
        }
    }

    /**
     * For the current test: a response with an error status for a URL containing urlPart is expected
     * (a failed login's 401, the 503s while the backend is down, a 404 page).
     */
    public void allowFailedRequests(String urlPart) {
        allowedFailures.add(urlPart);
    }

    /** Errors in the browser console since the last call, except the failed requests allowed. */
    private List<String> consoleErrors() {
        List<LogEntry> entries = driver.manage().logs().get(LogType.BROWSER).getAll();
        return entries.stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !(m.contains("Failed to load resource")
                        && allowedFailures.stream().anyMatch(m::contains)))
                .toList();
    }

    // ---- files ----

    static Path moduleDir() {
        return Path.of(Optional.ofNullable(System.getProperty("basedir")).orElse(""))
                .toAbsolutePath();
    }

    static Path staticDir() {
        Path dir = moduleDir().resolveSibling("static").normalize();
        if (!Files.isRegularFile(dir.resolve("index.html"))) {
            throw new IllegalStateException("the repo's static/ folder was not found at " + dir);
        }
        return dir;
    }

    private void deleteProfile() {
        if (profile == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("e2e: could not delete " + profile + ": " + e);
        }
    }
}
