package dev.whoknows.conformance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * --frontend against a WireMock "frontend": the pages and the doubled-slash routes pass when they answer
 * like the single-slash ones (so the double-slash check does not depend on issue #12's fix to pass), and
 * each deviation fails only its check.
 */
class FrontendModeTest {
    @RegisterExtension
    static WireMockExtension frontend = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    @TempDir
    Path dir;

    static final String[] PAGES = {"/", "/search", "/weather", "/register", "/login"};

    @BeforeEach
    void aFrontendThatKeepsTheContract() {
        DeviatingBackendTest.conformingBackend(frontend);
        for (String page : PAGES) {
            for (String path : new String[] {page, "/" + page}) {
                frontend.stubFor(get(urlPathEqualTo(path)).atPriority(9).willReturn(html(200)));
            }
        }
        frontend.stubFor(get(urlPathEqualTo("//api/search"))
                .atPriority(9)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"data\":[]}")));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder html(int status) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "text/html; charset=utf-8")
                .withBody("<!doctype html><html lang=\"en\"><title>WhoKnows</title></html>");
    }

    Conform.Result conform() {
        return Conform.run(dir, frontend.baseUrl(), "--frontend", "--rate", "1000");
    }

    @Test
    void aConformingFrontendPassesPagesAndDoubleSlash() {
        Conform.Result result = conform();

        assertThat(DeviatingBackendTest.failed(result)).as(result.toString()).isEmpty();
        assertThat(result.outcomes()).containsEntry("pages", "PASS").containsEntry("double-slash", "PASS");
        assertThat(result.out()).contains("at most 67 requests").containsPattern("(?m)^GET //login +1 ");
    }

    @Test
    void aDoubledSlashThatAnswers404FailsOnlyDoubleSlash() {
        frontend.stubFor(get(urlPathEqualTo("//login")).atPriority(1).willReturn(html(404)));

        Conform.Result result = conform();

        assertThat(DeviatingBackendTest.failed(result)).as(result.toString()).containsExactly("double-slash");
        assertThat(result.failures().get("double-slash"))
                .contains("GET //login -> 404")
                .contains("curl -i -sS --path-as-is '" + frontend.baseUrl() + "//login'");
    }

    @Test
    void aPageThatIsNotHtmlFailsPagesAndContentType() {
        frontend.stubFor(get(urlPathEqualTo("/weather"))
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"data\":{}}")));

        Conform.Result result = conform();

        assertThat(DeviatingBackendTest.failed(result)).as(result.toString()).containsExactly("pages", "content-type");
        assertThat(result.failures().get("pages")).contains("GET /weather -> 200: the body is not an HTML page");
        assertThat(result.failures().get("content-type")).contains("the contract documents text/html");
    }
}
