package dev.whoknows.e2e;

import static dev.whoknows.e2e.Accounts.DEMO_PASSWORD;
import static dev.whoknows.e2e.Accounts.DEMO_USER;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** Register, log in, see the user, log out; the legacy messages on the way (JavaScript on). */
class AccountTest {
    @RegisterExtension
    static final WhoKnowsSite site = WhoKnowsSite.withJavaScript();

    @Test
    void registerThenLoginShowsTheUserAndLogoutShowsLoginAgain() {
        String user = Accounts.newUsername();

        Accounts.register(site, user, "secret-123");
        site.waitForPath("/login");
        site.waitForFlash("You were successfully registered and can login now");

        Accounts.login(site, user, "secret-123");
        site.waitForPath("/");
        site.waitForFlash("You were logged in");
        WebElement logout = site.waitForVisible("#nav-logout");
        assertThat(logout.getText()).startsWith("Log out").contains(user);
        assertThat(site.visible("#nav-login")).isFalse();
        assertThat(site.visible("#nav-register")).isFalse();

        logout.click();
        site.waitForFlash("You were logged out");
        assertThat(site.currentPath()).isEqualTo("/");
        site.waitForVisible("#nav-login");
        assertThat(site.visible("#nav-logout")).isFalse();
        assertThat(site.visible("#nav-register")).isTrue();
    }

    @Test
    void theUserStaysLoggedInAcrossPages() {
        Accounts.login(site, DEMO_USER, DEMO_PASSWORD);
        site.waitForFlash("You were logged in");

        site.open("/weather");
        site.waitForVisible("#nav-logout");
        assertThat(site.find("#nav-logout").getText()).isEqualTo("Log out [demo]");
        assertThat(site.flashes()).isEmpty();
    }

    @Test
    void goingBackAfterLogoutDoesNotShowTheUserAsLoggedIn() {
        Accounts.login(site, DEMO_USER, DEMO_PASSWORD);
        site.waitForFlash("You were logged in");
        site.open("/about");
        site.waitForVisible("#nav-logout").click();
        site.waitForFlash("You were logged out");

        site.driver().navigate().back();
        site.waitForPath("/about");
        site.waitForVisible("#nav-login");
        assertThat(site.visible("#nav-logout")).isFalse();
    }

    @Test
    void theLoginFormWorksByKeyboard() {
        site.open("/login");
        site.find("#username").sendKeys(DEMO_USER, Keys.TAB);
        site.driver().switchTo().activeElement().sendKeys(DEMO_PASSWORD, Keys.ENTER);

        site.waitForFlash("You were logged in");
        assertThat(site.currentPath()).isEqualTo("/");
    }

    @Test
    void anUnknownUsernameStaysOnLoginWithTheBackendsMessage() {
        site.allowFailedRequests("/api/login");
        Accounts.login(site, Accounts.newUsername(), "whatever-1");

        WebElement flash = site.waitForFlash("Invalid username");
        assertThat(flash.getAttribute("class")).contains("error");
        assertThat(site.currentPath()).isEqualTo("/login");
        assertThat(site.flashes()).containsExactly("Invalid username");
        assertThat(site.visible("#nav-login")).isTrue();
    }

    @Test
    void aWrongPasswordStaysOnLoginWithTheBackendsMessage() {
        site.allowFailedRequests("/api/login");
        Accounts.login(site, DEMO_USER, "not-the-password");

        WebElement flash = site.waitForFlash("Invalid password");
        assertThat(flash.getAttribute("class")).contains("error");
        assertThat(site.currentPath()).isEqualTo("/login");
        assertThat(site.find("#username").getAttribute("value")).isEqualTo(DEMO_USER);
    }

    @ParameterizedTest(name = "{4}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''    | ''            | ''     | ''     | You have to enter a username",
                "alice | ''            | pw     | pw     | You have to enter a valid email address",
                "alice | not-an-email  | pw     | pw     | You have to enter a valid email address",
                "alice | a@example.com | ''     | ''     | You have to enter a password",
                "alice | a@example.com | secret | other  | The two passwords do not match",
            })
    void registerChecksTheFieldsWithTheLegacyMessages(
            String user, String email, String password, String password2, String message) {
        Accounts.fillRegister(site, user, email, password, password2);
        site.find("#register-button").click();

        WebElement flash = site.waitForFlash(message);
        assertThat(flash.getAttribute("class")).contains("error");
        assertThat(site.flashes()).hasSize(1);
        assertThat(site.currentPath()).isEqualTo("/register");
    }

    @Test
    void aTakenUsernameIsRefusedWithTheBackendsMessage() {
        site.allowFailedRequests("/api/register");
        Accounts.register(site, DEMO_USER, "another-password");

        site.waitForFlash("The username is already taken");
        assertThat(site.currentPath()).isEqualTo("/register");
    }

    @Test
    void markupInAUsernameIsShownAsText() {
        // at most 32 characters: the markup and a short unique tail
        String user = "<img src=x onerror=alert(1)>"
                + Long.toString(
                        java.util.concurrent.ThreadLocalRandom.current().nextLong(36L * 36 * 36, 36L * 36 * 36 * 36),
                        36);

        Accounts.fillRegister(site, user, "xss@example.com", "secret-123", "secret-123");
        site.find("#register-button").click();
        site.waitForFlash("You were successfully registered and can login now");
        Accounts.login(site, user, "secret-123");
        site.waitForFlash("You were logged in");

        WebElement logout = site.waitForVisible("#nav-logout");
        assertThat(logout.getText()).isEqualTo("Log out [" + user + "]");
        assertThat(site.findAll("img[onerror]")).isEmpty();
        assertThat(site.findAll("nav img")).isEmpty();
        site.assertNoAlert();
    }
}
