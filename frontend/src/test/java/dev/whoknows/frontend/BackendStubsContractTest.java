package dev.whoknows.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.RequestPattern;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.whoknows.testsupport.contract.ContractValidator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The WireMock backend the frontend's tests talk to must answer like the stub backend: every body
 * {@link BackendStubs} installs is checked against the stub's OpenAPI document, so the mocks cannot
 * drift from the contract.
 */
class BackendStubsContractTest {

    private static final ContractValidator CONTRACT = new ContractValidator();
    private static WireMockServer backend;

    @BeforeAll
    static void start() {
        backend = BackendStubs.start();
    }

    @AfterAll
    static void stop() {
        backend.stop();
    }

    @Test
    void everyInstalledStubAnswersAsTheContractSays() {
        List<StubMapping> mappings = backend.getStubMappings();
        assertThat(mappings).as("stubs installed by BackendStubs").hasSizeGreaterThanOrEqualTo(10);

        List<String> problems = new ArrayList<>();
        for (StubMapping mapping : mappings) {
            RequestPattern request = mapping.getRequest();
            String path = path(request);
            String method = request.getMethod().getName();
            int status = mapping.getResponse().getStatus();
            problems.addAll(CONTRACT.validateResponse(
                    path, method, status, mapping.getResponse().getBody()));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyListedResponseAnswersAsTheContractSays() {
        List<String> problems = new ArrayList<>();
        for (BackendStubs.StubbedResponse r : BackendStubs.RESPONSES) {
            problems.addAll(CONTRACT.validateResponse(r.path(), r.method(), r.status(), r.body()));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aBodyOffTheContractIsCaught() {
        // the old field name the course renamed: a mock using it must not pass
        String legacy = "{\"search_results\":[]}";
        assertThat(CONTRACT.validateResponse("/api/search", "GET", 200, legacy)).isNotEmpty();
        assertThat(CONTRACT.validateResponse("/api/login", "POST", 200, "{\"statusCode\":\"ok\"}"))
                .isNotEmpty();
    }

    private static String path(RequestPattern request) {
        String url = request.getUrl() != null ? request.getUrl() : request.getUrlPath();
        assertThat(url)
                .as("stubs match a fixed path so their route is known: %s", request)
                .isNotNull();
        return url;
    }
}
