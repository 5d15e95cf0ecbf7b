package dev.whoknows.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium and chromedriver, headless, each browser with a fresh profile. The system
 * properties e2e.chromium and e2e.chromedriver point elsewhere (e.g. to check the skip path).
 */
final class Chromium {
    static final Path BINARY = Path.of(System.getProperty("e2e.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("e2e.chromedriver", "/usr/bin/chromedriver"));
    static final String REQUIRE = "E2E_REQUIRE_BROWSER";

    private Chromium() {}

    /**
     * Why the browser tests cannot run here (empty when they can). Throws when E2E_REQUIRE_BROWSER=true
     * (system property or environment), as CI sets it: there a skipped browser suite is a failure.
     */
    static Optional<String> missing() {
        List<Path> missing = new ArrayList<>();
        for (Path file : List.of(BINARY, DRIVER)) {
            if (!Files.isExecutable(file)) {
                missing.add(file);
            }
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        String message = "browser tests need Debian's packages `chromium chromium-driver` (missing " + missing
                + "; install them with: apt-get install chromium chromium-driver)";
        if (required()) {
            throw new IllegalStateException(REQUIRE + "=true but " + message);
        }
        return Optional.of("skipped: " + message);
    }

    static boolean required() {
        String value = System.getProperty(REQUIRE, System.getenv(REQUIRE));
        return "true".equalsIgnoreCase(value == null ? "" : value.strip());
    }

    /** A headless browser; with javascript=false every page runs with scripts disabled. */
    static ChromeDriver start(boolean javascript, Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--lang=en-US",
                "--window-size=1280,900",
                "--user-data-dir=" + profile);
        if (!javascript) {
            options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        }
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    static Path newProfile() {
        try {
            return Files.createTempDirectory("whoknows-e2e-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
