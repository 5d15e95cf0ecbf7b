package dev.whoknows.stub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class OpsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestStub stub = new TestStub(StubConfig.fromEnv(Map.of("BUILD_VERSION", "9.9.9"), null));

    @AfterAll
    static void stop() {
        stub.close();
    }

    @Test
    void health() {
        TestStub.Answer answer = stub.get("/api/health");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"status\":\"ok\",\"service\":\"backend-stub\",\"version\":\"9.9.9\"}");
    }

    @Test
    void openApiDocumentIsServedAsJson() throws Exception {
        TestStub.Answer answer = stub.get("/openapi.json");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode doc = JSON.readTree(answer.body());
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.path("paths").fieldNames())
                .toIterable()
                .contains(
                        "/api/search",
                        "/api/weather",
                        "/api/register",
                        "/api/login",
                        "/api/logout",
                        "/api/session",
                        "/api/health",
                        "/openapi.json");
        try (var in = StubApp.class.getResourceAsStream("/openapi.json")) {
            var resource = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(in);
            ((com.fasterxml.jackson.databind.node.ObjectNode)
                            resource.path("servers").get(0))
                    .put("url", "http://localhost:" + stub.app().port()); // the port it really runs on
            assertThat(doc).isEqualTo(resource);
        }
    }

    @Test
    void unknownRoutesAreJson404() {
        TestStub.Answer answer = stub.get("/api/nothing-here");
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body()).isEqualTo("{\"statusCode\":404,\"message\":\"Not found: GET /api/nothing-here\"}");
        assertThat(stub.get("/").status()).as("pages belong to the frontend").isEqualTo(404);
    }

    @Test
    void traceAndConnectAre405() {
        TestStub.Answer trace = stub.raw("TRACE /api/search HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(trace.status()).isEqualTo(405);
        assertThat(trace.body()).contains("\"statusCode\":405");
        String authority = "localhost:" + stub.app().port();
        TestStub.Answer connect =
                stub.raw(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        assertThat(connect.status()).isEqualTo(405);
        assertThat(connect.header("Allow")).hasValue("GET, POST");
        TestStub.checkContract("CONNECT", "/", connect.status(), connect.body());
        // CONNECT needs an authority-form target: anything else is a malformed request
        TestStub.Answer malformed = stub.raw("CONNECT /api/search HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(malformed.status()).isEqualTo(400);
        TestStub.checkContract("CONNECT", "/api/search", malformed.status(), malformed.body());
    }

    @Test
    void faultHeadersAreIgnoredByDefault() {
        TestStub.Answer answer = stub.get("/api/health", "X-Stub-Status", "503", "X-Stub-Delay-Ms", "5000");
        assertThat(answer.status()).isEqualTo(200);
    }

    @Test
    void faultKnobsWhenEnabled() {
        try (TestStub faulty = new TestStub(StubConfig.defaults().withFaults(true))) {
            TestStub.Answer forced = faulty.get("/api/search?q=docker", "X-Stub-Status", "503");
            assertThat(forced.status()).isEqualTo(503);
            assertThat(forced.body())
                    .isEqualTo("{\"statusCode\":503,\"message\":\"Fault injected by X-Stub-Status: 503\"}");
            long start = System.nanoTime();
            assertThat(faulty.get("/api/health", "X-Stub-Delay-Ms", "300").status())
                    .isEqualTo(200);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(300);
            TestStub.Answer bad = faulty.get("/api/health", "X-Stub-Delay-Ms", "soon");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("X-Stub-Delay-Ms must be a whole number from 0 to 30000 (got 'soon')");
            assertThat(faulty.get("/api/health", "X-Stub-Status", "200").status())
                    .isEqualTo(400);
        }
    }

    @Test
    void unexpectedErrorsAre500JsonWithoutStackTrace() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Javalin app = StubApp.create(StubConfig.defaults().withPort(0));
        app.unsafe.routes.get("/api/boom", ctx -> {
            throw new IllegalStateException("internal detail xyz");
        });
        app.start();
        try (TestStub client = new TestStub(app)) {
            TestStub.Answer answer = client.get("/api/boom");
            assertThat(answer.status()).isEqualTo(500);
            assertThat(answer.body())
                    .isEqualTo(
                            "{\"statusCode\":500,\"message\":\"Internal server error: the stub could not answer this request\"}");
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("unexpected error on GET /api/boom").contains("internal detail xyz");
        assertThat(log.split("unexpected error on", -1)).as("logged once").hasSize(2);
    }

    @Test
    void stopLetsInFlightRequestsFinish() throws Exception {
        TestStub slow = new TestStub(StubConfig.defaults().withFaults(true));
        CompletableFuture<TestStub.Answer> inFlight =
                CompletableFuture.supplyAsync(() -> slow.get("/api/health", "X-Stub-Delay-Ms", "1500"));
        Thread.sleep(500);
        slow.close();
        TestStub.Answer answer = inFlight.get(20, TimeUnit.SECONDS);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"status\":\"ok\"");
    }
}
