package dev.whoknows.conformance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Flags, usage errors, exit codes, and the bounds: rate, time limit, request count, only the base URL. */
class CommandLineTest {
    @RegisterExtension
    static WireMockExtension backend = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    @RegisterExtension
    static WireMockExtension elsewhere = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    @TempDir
    Path dir;

    static final List<String> CHECKS = List.of(
            "health",
            "search",
            "weather",
            "register",
            "login",
            "session",
            "missing-fields",
            "bad-values",
            "pages",
            "double-slash",
            "content-type",
            "latency");

    @Test
    void helpListsEveryFlagAndEveryCheck() {
        Conform.Result result = Conform.runRaw(null, List.of("--help"));

        assertThat(result.exit()).isZero();
        assertThat(result.out())
                .contains(
                        "--base-url",
                        "--frontend",
                        "--report",
                        "--rate",
                        "--budget-scale",
                        "--only",
                        "--max-time",
                        "--verbose",
                        "--help",
                        "Exit code: 0");
        for (String check : CHECKS) {
            assertThat(result.out()).containsPattern("(?m)^  " + check + " ");
        }
    }

    @Test
    void usageErrorsExitWith2AndSayWhatIsWrong() {
        assertUsage(List.of(), "no base URL");
        assertUsage(List.of("ftp://example.org"), "must start with http:// or https://");
        assertUsage(List.of("http://user:pw@localhost:1"), "must not carry credentials");
        assertUsage(List.of("http://localhost:1?x=1"), "must not carry credentials, a query or a fragment");
        assertUsage(List.of("http://localhost:1", "--rate", "0"), "--rate: 0 is out of range");
        assertUsage(List.of("http://localhost:1", "--rate", "fast"), "--rate: not a number: 'fast'");
        assertUsage(List.of("http://localhost:1", "--budget-scale"), "--budget-scale needs a value");
        assertUsage(List.of("http://localhost:1", "--only", "serch"), "unknown check 'serch'; the checks are: health");
        assertUsage(List.of("http://localhost:1", "--only", "pages"), "--only pages: runs only with --frontend");
        assertUsage(List.of("http://localhost:1", "--colour"), "unknown option '--colour'");
        assertUsage(List.of("http://localhost:1", "http://localhost:2"), "two base URLs given");
        assertUsage(List.of("http://localhost:1", "--report", dir.toString()), "is a directory");
    }

    private void assertUsage(List<String> args, String message) {
        Conform.Result result = Conform.runRaw(null, args);
        assertThat(result.exit()).as(args.toString()).isEqualTo(2);
        assertThat(result.err()).as(args.toString()).contains(message);
        assertThat(result.out()).as(args.toString()).isEmpty();
    }

    @Test
    void anUnreachableBaseUrlExitsWith2SayingWhich() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Conform.Result result = Conform.runRaw(null, List.of("http://127.0.0.1:" + port));

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("cannot reach http://127.0.0.1:" + port + ": connection refused");

        Conform.Result unknown = Conform.runRaw(null, List.of("http://no-such-host.invalid"));
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("cannot reach http://no-such-host.invalid: unknown host");
    }

    @Test
    void sendsOnlyToTheBaseUrlAndNeverFollowsARedirect() {
        backend.stubFor(get(anyUrl())
                .willReturn(aResponse().withStatus(302).withHeader("Location", elsewhere.baseUrl() + "/api/health")));

        Conform.Result result = Conform.run(dir, backend.baseUrl(), "--rate", "1000");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(elsewhere.getAllServeEvents()).isEmpty();
        assertThat(result.failures().get("health")).contains("expected status 200, got 302");
    }

    @Test
    void sendsAtMostThePlannedRequestsAtTheGivenRate() {
        backend.stubFor(get(anyUrl()).willReturn(okJson("{\"data\":[]}")));

        long start = System.nanoTime();
        Conform.Result result = Conform.run(dir, backend.baseUrl(), "--only", "search,weather", "--rate", "5");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(result.out()).contains("at most 4 requests, 5/s");
        backend.verify(4, anyRequestedFor(anyUrl()));
        assertThat(millis).as("4 requests at 5/s").isGreaterThanOrEqualTo(600);
        assertThat(result.outcomes()).containsOnlyKeys("search", "weather");
    }

    @Test
    void stopsAtTheTimeLimitAndFailsWhatWasNotRun() {
        backend.stubFor(get(anyUrl()).willReturn(okJson("{\"data\":[]}").withFixedDelay(1_500)));

        long start = System.nanoTime();
        Conform.Result result =
                Conform.run(dir, backend.baseUrl(), "--max-time", "2", "--only", "health", "search", "weather");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(result.exit()).isEqualTo(1);
        assertThat(millis).as("a 2 s limit (without it: 5 answers × 1.5 s)").isLessThan(6_000);
        assertThat(result.outcomes())
                .containsEntry("health", "PASS")
                .containsEntry("search", "FAIL")
                .containsEntry("weather", "FAIL");
        assertThat(result.failures().get("weather")).contains("not run: time limit of 2 s reached");
        backend.verify(2, anyRequestedFor(anyUrl()));
    }

    @Test
    void verboseShowsEveryRequestAndTheReportIsWrittenWhereAsked() throws IOException {
        backend.stubFor(get(anyUrl()).willReturn(okJson("{\"status\":\"ok\"}")));
        Path report = dir.resolve("nested/dir/conformance.xml");

        Conform.Result result = Conform.runRaw(
                report, List.of(backend.baseUrl(), "--only", "health", "-v", "--report", report.toString()));

        assertThat(result.exit()).isZero();
        assertThat(result.out()).containsPattern("GET /api/health -> 200 \\(\\d+ ms\\)");
        assertThat(Files.readString(report))
                .contains("<testsuite name=\"whoknows-conformance\" tests=\"1\""
                        + " failures=\"0\" errors=\"0\" skipped=\"0\"")
                .contains("name=\"base-url\" value=\"" + backend.baseUrl());
    }
}
