package dev.whoknows.e2e;

import static dev.whoknows.e2e.Accounts.DEMO_PASSWORD;
import static dev.whoknows.e2e.Accounts.DEMO_USER;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/**
 * Chromium with scripts disabled: the forms post themselves to /api/login and /api/register, the
 * frontend answers the browser with a 303 to the right page, and shows the message there.
 */
class NoJavaScriptTest {
    @RegisterExtension
    static final WhoKnowsSite site = WhoKnowsSite.withoutJavaScript();

    @Test
    void scriptsReallyAreOff() {
        site.open("/");
        assertThat(site.visible("main .notice")).isTrue();
        assertThat(site.find("main .notice").getText()).contains("needs JavaScript");
        assertThat(site.visible("#nav-login")).isTrue();
        assertThat(site.visible("#nav-register")).isTrue();
        assertThat(site.visible("#nav-logout"))
                .as("not Log in, Register and Log out at once")
                .isFalse();
        site.open("/login");
        assertThat(site.visible("#nojs-logout"))
                .as("logout is reachable without scripts, from the login page")
                .isTrue();
    }

    @Test
    void registerLoginAndLogoutWithPlainFormPosts() {
        String user = Accounts.newUsername();

        Accounts.register(site, user, "secret-123");
        site.waitForPath("/login");
        assertThat(site.flashes()).containsExactly("You were successfully registered and can login now");

        Accounts.login(site, user, "secret-123");
        site.waitForPath("/");
        assertThat(site.flashes()).containsExactly("You were logged in");

        assertThat(site.visible("#nav-logout")).isFalse();
        site.open("/login");
        site.find("#nojs-logout").click();
        site.waitForFlash("You were logged out");
        assertThat(site.currentPath()).isEqualTo("/");
        assertThat(site.visible("#nav-login")).isTrue();

        site.open("/about");
        assertThat(site.flashes()).as("a flash is shown once").isEmpty();
    }

    @Test
    void aFailedLoginReturnsToLoginWithTheBackendsMessage() {
        Accounts.login(site, DEMO_USER, "not-the-password");

        WebElement flash = site.waitForFlash("Invalid password");
        assertThat(flash.getAttribute("class")).contains("error");
        assertThat(site.currentPath()).isEqualTo("/login");

        Accounts.login(site, Accounts.newUsername(), "whatever-1");
        site.waitForFlash("Invalid username");
        assertThat(site.currentPath()).isEqualTo("/login");
        assertThat(site.flashes()).containsExactly("Invalid username");
    }

    @Test
    void aFailedRegistrationReturnsToRegisterWithTheBackendsMessage() {
        Accounts.fillRegister(site, "", "", "", "");
        site.find("#register-button").click();
        site.waitForFlash("You have to enter a username");
        assertThat(site.currentPath()).isEqualTo("/register");
        assertThat(site.flashes()).containsExactly("You have to enter a username");

        Accounts.register(site, DEMO_USER, "secret-123");
        site.waitForFlash("The username is already taken");
        assertThat(site.currentPath()).isEqualTo("/register");
    }

    @Test
    void aFormPostMissingFieldsNamesEveryOneInWords() {
        site.open("/register");
        // a form without these inputs (an old copy of the page, a hand-written form): DevTools edits
        // the page, as page scripts cannot run here
        site.chrome()
                .executeCdpCommand(
                        "Runtime.evaluate",
                        java.util.Map.of(
                                "expression",
                                "['email', 'password'].forEach(function (id) { document.getElementById(id).remove(); })"));
        assertThat(site.findAll("#email")).isEmpty();
        site.find("#username").sendKeys(Accounts.newUsername());
        site.find("#register-button").click();

        site.waitForFlash("Please fill in the e-mail address and the password");
        assertThat(site.currentPath()).isEqualTo("/register");
    }

    @Test
    void aNameOver32CharactersIsRefusedWithTheBackendsMessage() {
        Accounts.register(site, "n".repeat(33), "secret-123");
        site.waitForFlash("The username can be at most 32 characters long");
        assertThat(site.currentPath()).isEqualTo("/register");
    }

    @Test
    void theDemoUserCanLogIn() {
        Accounts.login(site, DEMO_USER, DEMO_PASSWORD);
        site.waitForPath("/");
        assertThat(site.flashes()).containsExactly("You were logged in");
    }
}
