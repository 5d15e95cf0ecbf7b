package dev.whoknows.frontend.forms;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.whoknows.frontend.BackendStubs;
import dev.whoknows.frontend.TestFrontend;
import dev.whoknows.frontend.testing.ContractCheckedWireMock;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** No-JS form posts get 303 + flash; every other client gets the backend's JSON untouched. */
class FormsTest {

    static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    @RegisterExtension
    @Order(1)
    static final ContractCheckedWireMock backend = ContractCheckedWireMock.backend(BackendStubs::install);

    @RegisterExtension
    @Order(2)
    static final TestFrontend frontend =
            TestFrontend.extension().backend(backend).build();

    private static HttpResponse<String> postForm(TestFrontend to, String path, String form, String accept) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(to.url(path))).POST(HttpRequest.BodyPublishers.ofString(form));
        return accept == null
                ? to.send(request, "Content-Type", "application/x-www-form-urlencoded")
                : to.send(request, "Content-Type", "application/x-www-form-urlencoded", "Accept", accept);
    }

    private static String flashOf(HttpResponse<String> response) {
        String cookie = response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("wk_flash="))
                .findFirst()
                .orElseThrow();
        assertThat(cookie)
                .contains("Path=/")
                .contains("Max-Age=60")
                .contains("SameSite=Lax")
                .doesNotContain("HttpOnly");
        String value = cookie.substring("wk_flash=".length(), cookie.indexOf(';'));
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Follows the 303 like a browser: the flash cookie goes along to the next page. */
    private static String pageAfter(HttpResponse<String> redirect) {
        String cookie = redirect.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("wk_flash="))
                .findFirst()
                .orElseThrow();
        String location = redirect.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> page =
                frontend.get(URI.create(location).getPath(), "Cookie", cookie.substring(0, cookie.indexOf(';')));
        assertThat(page.statusCode()).isEqualTo(200);
        return page.body();
    }

    @Test
    void loginFromAFormRedirectsHomeWithTheSessionAndMessage() {
        HttpResponse<String> response =
                postForm(frontend, "/api/login", "username=demo&password=demo1234", BROWSER_ACCEPT);
        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/");
        assertThat(response.headers().allValues("Set-Cookie")).contains(BackendStubs.SESSION_COOKIE);
        assertThat(flashOf(response)).isEqualTo("info|You were logged in");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(pageAfter(response)).contains("<ul class=\"flashes\"><li>You were logged in</li></ul>");

        LoggedRequest seen = backend.findAll(anyRequestedFor(anyUrl())).get(0);
        assertThat(seen.getBodyAsString()).isEqualTo("username=demo&password=demo1234");
        assertThat(seen.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "username=demo&password=wrong|/login|Invalid password",
                "username=nobody&password=x|/login|Invalid username",
                "username=demo|/login|Please fill in the password"
            })
    void failedLoginStaysOnTheLoginPageWithTheBackendsMessage(String form, String location, String message) {
        HttpResponse<String> response = postForm(frontend, "/api/login", form, BROWSER_ACCEPT);
        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith(location);
        assertThat(flashOf(response)).isEqualTo("error|" + message);
        assertThat(pageAfter(response)).contains("<li class=\"error\">" + message + "</li>");
    }

    @Test
    void everyMissingFieldIsNamedInWords() {
        java.util.function.Function<String, Map<String, Object>> missing =
                name -> Map.of("loc", List.of("body", name), "msg", "Field required", "type", "missing");
        assertThat(Forms.failureMessage(
                        422,
                        Map.of(
                                "detail",
                                List.of(missing.apply("username"), missing.apply("email"), missing.apply("password")))))
                .isEqualTo("Please fill in the username, the e-mail address and the password");
        assertThat(Forms.failureMessage(422, Map.of("detail", List.of(missing.apply("email")))))
                .isEqualTo("Please fill in the e-mail address");
        // not only missing fields: the first detail as before
        assertThat(Forms.failureMessage(
                        422,
                        Map.of(
                                "detail",
                                List.of(
                                        missing.apply("email"),
                                        Map.of(
                                                "loc",
                                                List.of("body", "password"),
                                                "msg",
                                                "Input should be a valid string",
                                                "type",
                                                "string_type")))))
                .isEqualTo("email: Field required");
    }

    @Test
    void registerSuccessGoesToLoginAndFailureBackToRegister() {
        HttpResponse<String> ok = postForm(
                frontend,
                "/api/register",
                "username=alice&email=alice%40example.org&password=pw123456&password2=pw123456",
                BROWSER_ACCEPT);
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        assertThat(pageAfter(ok)).contains("<li>You were successfully registered and can login now</li>");

        HttpResponse<String> taken = postForm(
                frontend,
                "/api/register",
                "username=demo&email=d%40example.org&password=a&password2=a",
                BROWSER_ACCEPT);
        assertThat(taken.headers().firstValue("Location").orElseThrow()).endsWith("/register");
        assertThat(flashOf(taken)).isEqualTo("error|The username is already taken");
    }

    @Test
    void logoutLinkRedirectsHomePassingTheExpiredSessionCookie() {
        HttpResponse<String> response = frontend.get("/api/logout", "Accept", BROWSER_ACCEPT, "Cookie", "session=abc");
        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/");
        assertThat(response.headers().allValues("Set-Cookie")).contains(BackendStubs.SESSION_EXPIRED);
        assertThat(pageAfter(response)).contains("<li>You were logged out</li>");
        assertThat(backend.findAll(anyRequestedFor(anyUrl())).get(0).getHeader("Cookie"))
                .isEqualTo("session=abc");
    }

    @Test
    void aBackendThatIsDownGivesTheUnavailableMessage(@TempDir Path dir) {
        try (TestFrontend down = TestFrontend.start(dir, "http://localhost:" + TestFrontend.closedPort())) {
            HttpResponse<String> response =
                    postForm(down, "/api/login", "username=demo&password=demo1234", BROWSER_ACCEPT);
            assertThat(response.statusCode()).isEqualTo(303);
            assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/login");
            assertThat(flashOf(response)).isEqualTo("error|" + Forms.UNAVAILABLE);
        }
    }

    @Test
    void aBackendAnsweringSomethingOtherThanJsonStillGetsARedirect() {
        backend.stubFor(post(urlEqualTo("/api/login"))
                .withMetadata(ContractCheckedWireMock.offContract("a broken backend: an HTML 500"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .withStatus(500)
                        .withBody("<html>oops</html>")));
        HttpResponse<String> response = postForm(frontend, "/api/login", "username=demo&password=x", BROWSER_ACCEPT);
        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(flashOf(response)).startsWith("error|").contains("HTTP 500");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
            strings = {
                "application/json",
                "*/*",
                "application/json, text/html;q=0.5",
                "text/html;q=0.5, application/json",
                "text/html;q=0",
                "text/*;q=0.1, */*"
            })
    void otherClientsGetTheBackendsJsonUntouched(String accept) {
        HttpResponse<String> ok = postForm(frontend, "/api/login", "username=demo&password=demo1234", accept);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo(BackendStubs.LOGIN_OK);
        assertThat(ok.headers().allValues("Set-Cookie")).containsExactly(BackendStubs.SESSION_COOKIE);

        HttpResponse<String> failed = postForm(frontend, "/api/login", "username=demo&password=nope", accept);
        assertThat(failed.statusCode()).isEqualTo(401);
        assertThat(failed.body()).isEqualTo(BackendStubs.LOGIN_INVALID_PASSWORD);

        // a complete registration for a taken name: 409, as the real stub answers this very request
        // (BackendStubsMatchTheStubTest); an incomplete one is 422 in both
        HttpResponse<String> invalid = postForm(
                frontend,
                "/api/register",
                "username=demo&email=demo%40example.com&password=demo1234&password2=demo1234",
                accept);
        assertThat(invalid.statusCode()).isEqualTo(409);
        assertThat(invalid.body()).isEqualTo(BackendStubs.REGISTER_TAKEN);
    }

    @Test
    void a422FromTheBackendIsPassedOnForJsonClients() {
        HttpResponse<String> response = postForm(frontend, "/api/login", "username=demo", "application/json");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).isEqualTo(BackendStubs.LOGIN_MISSING_PASSWORD);
    }

    @Test
    void logoutForJsonClientsIsTheBackendsAnswer() {
        HttpResponse<String> response = frontend.get("/api/logout", "Accept", "application/json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(BackendStubs.LOGOUT_OK);
        assertThat(backend.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
    }

    @Test
    void acceptNegotiation() {
        assertThat(Forms.prefersHtml(BROWSER_ACCEPT)).isTrue();
        assertThat(Forms.prefersHtml("text/html")).isTrue();
        assertThat(Forms.prefersHtml("text/*")).as("accepts text, not JSON").isTrue();
        assertThat(Forms.prefersHtml("application/json;q=0.5, text/html")).isTrue();
        for (String accept : List.of("", "*/*", "application/json", "application/*, text/html;q=0.9")) {
            assertThat(Forms.prefersHtml(accept)).as(accept).isFalse();
        }
    }

    @Test
    void searchIsNotNegotiated() {
        HttpResponse<String> response = frontend.get("/api/search?q=kubernetes", "Accept", BROWSER_ACCEPT);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(BackendStubs.SEARCH_RESULTS);
        assertThat(frontend.get("/api/weather", "Accept", BROWSER_ACCEPT).body())
                .isEqualTo(BackendStubs.WEATHER);
    }
}
