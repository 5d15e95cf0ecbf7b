package dev.whoknows.frontend.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.whoknows.frontend.testing.ContractCheckedWireMock.offContract;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.whoknows.frontend.BackendStubs;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The contract check of the frontend's WireMock backends can fail: an answer off the contract fails the test that
 * made WireMock serve it, with the request, status and violation. The failing tests are {@link Scenarios}, run here
 * through the JUnit Platform launcher so that their failure can be asserted. (That every default stub passes the
 * check, and answers as the real stub does, is BackendStubsMatchTheStubTest.)
 */
class ContractCheckedWireMockTest {

    @Test
    void aBodyOffTheContractFailsTheTestThatServedIt() {
        // the field name the course renamed: data, not search_results
        assertThat(failureOf("servesTheOldFieldName"))
                .contains("during servesTheOldFieldName()")
                .contains("GET /api/search?q=a: GET /api/search 200: ")
                .contains("required property 'data' not found")
                .contains("offContract(\"why\")");
    }

    @Test
    void aStatusTheContractDoesNotListFails() {
        assertThat(failureOf("servesAnUndocumentedStatus"))
                // the contract's "default" answer is an error: statusCode from 400 up
                .contains("POST /api/login: POST /api/login 302: $.statusCode: must have a minimum value of 400");
    }

    @Test
    void anErrorInAnotherShapeFails() {
        assertThat(failureOf("servesAnHtmlError"))
                .contains("GET /api/health 500: Content-Type is text/html")
                .contains("GET /api/health: GET /api/health 500: body is not JSON");
    }

    @Test
    void aFaultWithoutAnOptOutFails() {
        assertThat(failureOf("servesAFault"))
                .contains("GET /api/weather: fault CONNECTION_RESET_BY_PEER is no HTTP answer at all");
    }

    @Test
    void aRequestNoStubMatchesFails() {
        assertThat(failureOf("servesNoStub"))
                .contains("GET /api/weather: no stub matched, so WireMock answered with its own 404 page");
    }

    @Test
    void aSuccessOnARouteTheContractLacksFails() {
        assertThat(failureOf("servesAMadeUpRoute"))
                .contains("GET /api/things 200: the contract has no GET /api/things");
    }

    @Test
    void anAnswerMarkedOffContractPassesAndItsReasonIsReported() {
        Outcome outcome = run("servesGarbageOnPurpose");
        assertThat(outcome.failure()).isEmpty();
        assertThat(outcome.reports())
                .anySatisfy(entry -> assertThat(entry)
                        .contains("0 API answers validated against the contract, 1 off it by choice")
                        .contains("/api/health: a broken backend's HTML page, on purpose"));
    }

    @Test
    void anAnswerOnTheContractPasses() {
        Outcome outcome = run("servesTheContract");
        assertThat(outcome.failure()).isEmpty();
        assertThat(outcome.reports())
                .anySatisfy(entry ->
                        assertThat(entry).contains("1 API answers validated against the contract, 0 off it by choice"));
    }

    @Test
    void anOptOutNeedsAReason() {
        assertThatThrownBy(() -> offContract(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a reason");
    }

    /** The tests of one {@link Scenarios} method run by itself: its failure message, if any, and report entries. */
    record Outcome(Optional<String> failure, List<String> reports) {}

    private static String failureOf(String scenario) {
        return run(scenario).failure().orElseThrow(() -> new AssertionError(scenario + " passed"));
    }

    private static Outcome run(String scenario) {
        List<String> failures = new ArrayList<>();
        List<String> reports = new ArrayList<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                result.getThrowable().ifPresent(t -> failures.add(id.getDisplayName() + ": " + t.getMessage()));
            }

            @Override
            public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                reports.add(String.valueOf(entry.getKeyValuePairs().get("contract-check")));
            }
        };
        // this module's own listeners (the skipped-tests report) stay out of the inner run
        launching = true;
        try {
            LauncherFactory.create(LauncherConfig.builder()
                            .enableTestExecutionListenerAutoRegistration(false)
                            .build())
                    .execute(
                            LauncherDiscoveryRequestBuilder.request()
                                    .selectors(selectMethod(Scenarios.class, scenario))
                                    .build(),
                            listener);
        } finally {
            launching = false;
        }
        assertThat(failures).as("at most the one failure of " + scenario).hasSizeLessThanOrEqualTo(1);
        return new Outcome(failures.stream().findFirst(), reports);
    }

    static HttpResponse<String> send(ContractCheckedWireMock to, String method, String path, String form) {
        return FormRequest.send(method, to.url(path), form);
    }

    /** True while {@link #run} launches a scenario; a Surefire pattern that selects nested classes finds them off. */
    private static volatile boolean launching;

    /**
     * Tests that pass by themselves and serve one answer each: only the contract check can fail them. They run
     * only when {@link #run} launches them.
     */
    @EnabledIf(value = "launched", disabledReason = "run by ContractCheckedWireMockTest through the launcher")
    static class Scenarios {

        static boolean launched() {
            return launching;
        }

        @RegisterExtension
        static final ContractCheckedWireMock served = ContractCheckedWireMock.backend();

        @Test
        void servesTheOldFieldName() {
            served.stubFor(
                    get(urlEqualTo("/api/search?q=a")).willReturn(BackendStubs.json(200, "{\"search_results\":[]}")));
            assertThat(send(served, "GET", "/api/search?q=a", null).statusCode())
                    .isEqualTo(200);
        }

        @Test
        void servesAnUndocumentedStatus() {
            served.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/api/login"))
                    .willReturn(BackendStubs.json(302, BackendStubs.LOGIN_OK)));
            assertThat(send(served, "POST", "/api/login", "username=demo&password=demo1234")
                            .statusCode())
                    .isEqualTo(302);
        }

        @Test
        void servesAnHtmlError() {
            served.stubFor(get(urlEqualTo("/api/health"))
                    .willReturn(aResponse()
                            .withStatus(500)
                            .withHeader("Content-Type", "text/html")
                            .withBody("<html>oops</html>")));
            assertThat(send(served, "GET", "/api/health", null).statusCode()).isEqualTo(500);
        }

        @Test
        void servesAFault() {
            served.stubFor(
                    get(urlEqualTo("/api/weather")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            assertThatThrownBy(() -> send(served, "GET", "/api/weather", null))
                    .isInstanceOf(UncheckedIOException.class);
        }

        @Test
        void servesNoStub() {
            assertThat(send(served, "GET", "/api/weather", null).statusCode()).isEqualTo(404);
        }

        @Test
        void servesAMadeUpRoute() {
            served.stubFor(get(urlEqualTo("/api/things")).willReturn(BackendStubs.json(200, "{}")));
            assertThat(send(served, "GET", "/api/things", null).statusCode()).isEqualTo(200);
        }

        @Test
        void servesGarbageOnPurpose() {
            served.stubFor(get(urlEqualTo("/api/health"))
                    .withMetadata(offContract("a broken backend's HTML page, on purpose"))
                    .willReturn(aResponse().withStatus(500).withBody("<html>oops</html>")));
            assertThat(send(served, "GET", "/api/health", null).statusCode()).isEqualTo(500);
        }

        @Test
        void servesTheContract() {
            served.stubFor(get(urlEqualTo("/api/weather")).willReturn(BackendStubs.json(200, BackendStubs.WEATHER)));
            assertThat(send(served, "GET", "/api/weather", null).statusCode()).isEqualTo(200);
        }
    }
}
