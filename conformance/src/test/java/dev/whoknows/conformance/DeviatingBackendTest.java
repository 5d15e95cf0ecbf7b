package dev.whoknows.conformance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.notMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WireMock backend that follows the contract, then one deviation at a time (one stub of higher priority):
 * each must be reported by the check responsible for it and by no other.
 */
class DeviatingBackendTest {
    @RegisterExtension
    static WireMockExtension backend = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    @TempDir
    Path dir;

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    static final String MISSING =
            "{\"detail\":[{\"loc\":[\"body\",\"%s\"],\"msg\":\"Field required\",\"type\":\"missing\"}]}";

    @BeforeEach
    void conformingBackend() {
        conformingBackend(backend);
    }

    /** A backend that keeps the contract (priority 5..9; deviations use 1). */
    static void conformingBackend(WireMockExtension backend) {
        backend.stubFor(get("/api/health").atPriority(9).willReturn(okJson("{\"status\":\"ok\"}")));
        backend.stubFor(get(urlPathEqualTo("/api/search"))
                .withQueryParam("q", absent())
                .atPriority(5)
                .willReturn(json(422, "{\"statusCode\":422,\"message\":\"Query parameter 'q' is required\"}")));
        backend.stubFor(get(urlPathEqualTo("/api/search"))
                .atPriority(9)
                .willReturn(okJson("{\"data\":[{\"title\":\"Python\",\"url\":\"https://example.org\"}]}")));
        backend.stubFor(get("/api/weather")
                .atPriority(9)
                .willReturn(okJson("{\"data\":{\"location\":\"Copenhagen\",\"temperature\":4}}")));
        for (String path : new String[] {"/api/register", "/api/login"}) {
            String[] required = path.equals("/api/register")
                    ? new String[] {"username", "email", "password"}
                    : new String[] {"username", "password"};
            backend.stubFor(post(path)
                    .withHeader("Content-Type", containing("json"))
                    .atPriority(4)
                    .willReturn(json(422, MISSING.formatted("username"))));
            backend.stubFor(post(path)
                    .withRequestBody(matching("(?s).*%(zz|FF).*"))
                    .atPriority(4)
                    .willReturn(json(400, "{\"statusCode\":400,\"message\":\"Request body is not valid form data\"}")));
            for (String field : required) {
                backend.stubFor(post(path)
                        .withRequestBody(notMatching("(?s)(.*&)?" + field + "=.*"))
                        .atPriority(5)
                        .willReturn(json(422, MISSING.formatted(field))));
            }
        }
        backend.stubFor(post("/api/register")
                .atPriority(9)
                .willReturn(okJson("{\"statusCode\":200,\"message\":\"You were successfully registered\"}")));
        backend.stubFor(post("/api/login")
                .atPriority(9)
                .willReturn(okJson("{\"statusCode\":200,\"message\":\"You were logged in\"}")
                        .withHeader("Set-Cookie", "session=abc123; Path=/; HttpOnly; SameSite=Lax")));
        backend.stubFor(get("/api/logout")
                .atPriority(9)
                .willReturn(okJson("{\"statusCode\":200,\"message\":\"You were logged out\"}")
                        .withHeader("Set-Cookie", "session=; Path=/; Max-Age=0; HttpOnly")));
    }

    Conform.Result conform(String... more) {
        String[] args = new String[more.length + 3];
        args[0] = backend.baseUrl();
        args[1] = "--rate";
        args[2] = "1000";
        System.arraycopy(more, 0, args, 3, more.length);
        return Conform.run(dir, args);
    }

    /**
     * The failed checks, leaving out bad-values when its only findings are WireMock's own: WireMock answers
     * 500 to a form body with a malformed %-escape ({@code %zz}) or one that is not UTF-8 before any stub can
     * match (its request adapter decodes the form eagerly), so no mock can answer those cases with the 400 a
     * backend should. The real stub does (LiveServicesTest); status500OnABadRequest uses an empty field.
     */
    static List<String> failed(Conform.Result result) {
        List<String> failed = new ArrayList<>(result.failed());
        String badValues = result.failures().get("bad-values");
        if (badValues != null
                && Arrays.stream(badValues.split("\n\n"))
                        .allMatch(finding -> finding.lines()
                                        .findFirst()
                                        .orElse("")
                                        .matches(
                                                ".*\\[('\\w+' (with a bad %-escape|not UTF-8 \\(%FF%FE\\))(; )?)+\\] -> 500: .*")
                                && finding.contains("Not valid "))) {
            failed.remove("bad-values");
        }
        return failed;
    }

    void deviate(MappingBuilder stub) {
        backend.stubFor(stub.atPriority(1));
    }

    @Test
    void theConformingMockHasNoFindings() {
        Conform.Result result = conform();

        assertThat(failed(result)).as(result.toString()).isEmpty();
        assertThat(result.exit()).isEqualTo(result.failed().isEmpty() ? 0 : 1);
        assertThat(result.out()).contains("at most 56 requests").contains("; 56 requests in");
        // WireMock journals every request but the 12 its own form decoding refused (see failed())
        assertThat(backend.getAllServeEvents()).hasSize(56 - 12);
    }

    @Test
    void searchResultsInsteadOfData() {
        deviate(get(urlPathEqualTo("/api/search"))
                .withQueryParam("q", matching(".*"))
                .willReturn(okJson("{\"search_results\":[]}")));

        Conform.Result result = conform();

        assertThat(failed(result)).as(result.toString()).containsExactly("search");
        assertThat(result.failures().get("search"))
                .contains("SearchResponse")
                .contains("data")
                .contains("curl -i -sS --path-as-is '" + backend.baseUrl() + "/api/search?q=python&language=en'")
                .contains("< {\"search_results\":[]}");
        assertThat(result.out()).contains("note: also seen here, reported by search");
        assertThat(result.exit()).isEqualTo(1);
    }

    @Test
    void aJsonOnlyLogin() {
        // what a JSON body model does with a form: 422, the body is not an object
        deviate(post("/api/login")
                .withHeader("Content-Type", containing("x-www-form-urlencoded"))
                .willReturn(json(
                        422,
                        "{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"Input should be a valid dictionary"
                                + " or object to extract fields from\",\"type\":\"model_attributes_type\"}]}")));

        Conform.Result result = conform();

        assertThat(failed(result)).as(result.toString()).containsExactly("login");
        assertThat(result.failures().get("login"))
                .contains("POST /api/login")
                .contains("expected status 200, got 422")
                .contains("-H 'Content-Type: application/x-www-form-urlencoded'");
        assertThat(result.outcomes()).containsEntry("session", "SKIP");
        assertThat(result.out()).contains("needs login, which failed");
    }

    @Test
    void noSetCookie() {
        deviate(post("/api/login")
                .withRequestBody(matching("username=wkc_\\w+&password=[^&]+"))
                .willReturn(okJson("{\"statusCode\":200,\"message\":\"You were logged in\"}")));

        Conform.Result result = conform();

        assertThat(failed(result)).as(result.toString()).containsExactly("session");
        assertThat(result.failures().get("session")).contains("set no cookie (no Set-Cookie header with a value)");
    }

    @Test
    void status200InsteadOf422ForAMissingField() {
        deviate(post("/api/register")
                .withRequestBody(notMatching("(?s)(.*&)?password=.*"))
                .willReturn(okJson("{\"statusCode\":200,\"message\":\"You were successfully registered\"}")));

        Conform.Result result = conform();

        assertThat(failed(result)).as(result.toString()).containsExactly("missing-fields");
        assertThat(result.failures().get("missing-fields"))
                .containsPattern(
                        "POST /api/register \\[missing field 'password'(; empty form)?\\] -> 200: expected status 422, got 200");
    }

    @Test
    void status500OnABadRequest() {
        deviate(post("/api/login")
                .withRequestBody(matching("(?s)(.*&)?password=(&.*)?"))
                .willReturn(json(500, "{\"statusCode\":500,\"message\":\"Internal Server Error\"}")));

        Conform.Result result = conform();

        assertThat(failed(result)).as(result.toString()).containsExactly("bad-values");
        assertThat(result.failures().get("bad-values"))
                .contains("server error 500 on a bad request")
                .containsPattern("POST /api/login \\[[^\\]]*'password' empty[^\\]]*\\] -> 500: server error 500");
    }

    @Test
    void anAnswerSlowerThanItsBudget() {
        deviate(get("/api/weather").willReturn(okJson("{\"data\":{}}").withFixedDelay(3_500)));

        // budgets × 0.5: weather 3 s; every other answer of a local mock is far below its budget
        Conform.Result result = conform("--budget-scale", "0.5");

        assertThat(failed(result)).as(result.toString()).containsExactly("latency");
        assertThat(result.failures().get("latency"))
                .contains("GET /api/weather took")
                .contains("over the budget of 3.00 s");
    }

    @Test
    void aWrongContentType() {
        deviate(get("/api/weather")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/plain; charset=utf-8")
                        .withBody("{\"data\":{}}")));

        Conform.Result result = conform();

        assertThat(failed(result)).as(result.toString()).containsExactly("content-type");
        assertThat(result.failures().get("content-type"))
                .contains("Content-Type is 'text/plain; charset=utf-8'")
                .contains("the contract documents application/json");
    }

    @Test
    void aMissingContentTypeAndAnEmptyBodyAreFindingsToo() {
        deviate(get("/api/weather").willReturn(aResponse().withStatus(200)));

        Conform.Result result = conform("--only", "weather", "content-type");

        assertThat(failed(result)).containsExactly("weather", "content-type");
        assertThat(result.failures().get("weather")).contains("empty body");
        assertThat(result.failures().get("content-type")).contains("Content-Type is missing");
    }

    @Test
    void anErrorInsideA200() {
        deviate(post("/api/register")
                .withRequestBody(containing("password2"))
                .willReturn(okJson("{\"statusCode\":400,\"message\":\"You have to enter a valid email address\"}")));

        Conform.Result result = conform("--only", "session");

        assertThat(result.outcomes()).containsOnlyKeys("register", "login", "session");
        assertThat(failed(result)).containsExactly("register");
        assertThat(result.failures().get("register")).contains("HTTP 200 but the body says statusCode 400");
        assertThat(result.outcomes()).containsEntry("session", "SKIP");
    }

    @Test
    void aLogoutThatKeepsTheCookie() {
        deviate(get("/api/logout").willReturn(okJson("{\"statusCode\":200,\"message\":\"bye\"}")));

        Conform.Result result = conform("--only", "session");

        assertThat(failed(result)).containsExactly("session");
        assertThat(result.failures().get("session")).contains("does not expire the cookie 'session'");
    }

    @Test
    void anUndocumentedSuccessOnABadValueIsAFinding() {
        deviate(get(urlPathEqualTo("/api/search"))
                .withQueryParam("language", equalTo(""))
                .willReturn(json(201, "{}")));

        Conform.Result result = conform("--only", "bad-values");

        assertThat(failed(result)).containsExactly("bad-values");
        assertThat(result.failures().get("bad-values")).contains("status 201 is neither one the contract documents");
    }
}
