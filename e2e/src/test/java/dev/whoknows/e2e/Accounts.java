package dev.whoknows.e2e;

import java.util.concurrent.ThreadLocalRandom;

/** Form filling shared by the account tests, with and without JavaScript. */
final class Accounts {
    static final String DEMO_USER = "demo";
    static final String DEMO_PASSWORD = "demo1234";

    private Accounts() {}

    /** A username no other test uses. */
    static String newUsername() {
        return "e2e_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }

    static void fillRegister(WhoKnowsSite site, String username, String email, String password, String password2) {
        site.open("/register");
        type(site, "#username", username);
        type(site, "#email", email);
        type(site, "#password", password);
        type(site, "#password2", password2);
    }

    static void register(WhoKnowsSite site, String username, String password) {
        fillRegister(site, username, username + "@example.com", password, password);
        site.find("#register-button").click();
    }

    static void fillLogin(WhoKnowsSite site, String username, String password) {
        site.open("/login");
        type(site, "#username", username);
        type(site, "#password", password);
    }

    static void login(WhoKnowsSite site, String username, String password) {
        fillLogin(site, username, password);
        site.find("#login-button").click();
    }

    private static void type(WhoKnowsSite site, String css, String text) {
        var input = site.find(css);
        input.clear();
        if (!text.isEmpty()) {
            input.sendKeys(text);
        }
    }
}
