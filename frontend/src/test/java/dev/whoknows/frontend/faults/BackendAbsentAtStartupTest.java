package dev.whoknows.frontend.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.whoknows.frontend.BackendStubs;
import dev.whoknows.frontend.testing.ContractCheckedWireMock;
import io.javalin.Javalin;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The frontend starts without its backend, says so, and recovers by itself when the backend appears. */
@Timeout(60)
class BackendAbsentAtStartupTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BOUND = Duration.ofSeconds(5);

    /** On a fixed port, so that it comes back where the frontend looks for it; stopped until then. */
    @RegisterExtension
    static final ContractCheckedWireMock backend = ContractCheckedWireMock.backend(
            wireMockConfig().port(Harness.freePort()).bindAddress("127.0.0.1"), BackendStubs::install);

    @Test
    void startsWithoutBackendServesPagesAndRecoversWhenBackendAppears() throws Exception {
        int backendPort = backend.getPort();
        backend.stopServer();
        Javalin frontend = Harness.startFrontend("http://127.0.0.1:" + backendPort);
        try {
            int port = frontend.port();
            HttpClient client = Harness.client();

            for (String page : List.of("/", "/login", "/register", "/weather", "/about", "/search?q=java")) {
                HttpResponse<String> response = Harness.get(client, port, page, BOUND);
                assertThat(response.statusCode())
                        .as("page %s with the backend down", page)
                        .isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type").orElse(""))
                        .startsWith("text/html");
            }
            HttpResponse<String> css = Harness.get(client, port, "/static/css/style.css", BOUND);
            assertThat(css.statusCode()).isEqualTo(200);
            assertThat(css.body()).isEqualTo(Harness.CSS);
            assertThat(Harness.get(client, port, "/api/health", BOUND).statusCode())
                    .as("liveness never depends on the backend")
                    .isEqualTo(200);

            for (String api : List.of("/api/search?q=java", "/api/weather", "/api/session")) {
                HttpResponse<String> response = Harness.get(client, port, api, BOUND);
                assertThat(response.statusCode())
                        .as("%s with no backend listening", api)
                        .isEqualTo(503);
                assertProxyError(response, 503);
            }
            HttpResponse<String> ready = Harness.get(client, port, "/api/ready", BOUND);
            assertThat(ready.statusCode()).isEqualTo(503);
            JsonNode readyBody = JSON.readTree(ready.body());
            assertThat(readyBody.path("status").asText()).isEqualTo("unavailable");
            assertThat(readyBody.path("backend").asText())
                    .as("the reason")
                    .isNotBlank()
                    .isNotEqualTo("ok");

            backend.restartServer(); // with the stubs of a healthy backend

            HttpResponse<String> recovered = poll(client, port, "/api/ready", 200, Duration.ofSeconds(15));
            assertThat(JSON.readTree(recovered.body()).path("status").asText()).isEqualTo("ready");
            HttpResponse<String> search = poll(client, port, "/api/search?q=java", 200, Duration.ofSeconds(5));
            assertThat(JSON.readTree(search.body()).path("data").isArray()).isTrue();
            backend.verify(getRequestedFor(urlPathEqualTo("/api/search")));
            assertThat(Harness.get(client, port, "/", BOUND).statusCode()).isEqualTo(200);
        } finally {
            frontend.stop();
        }
    }

    static void assertProxyError(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("statusCode").asInt()).isEqualTo(status);
        assertThat(body.path("message").asText()).isNotBlank();
    }

    private static HttpResponse<String> poll(HttpClient client, int port, String path, int status, Duration within)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        HttpResponse<String> last;
        do {
            last = Harness.get(client, port, path, BOUND);
            if (last.statusCode() == status) {
                return last;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(path + " did not answer " + status + " within " + within + "; last: "
                + last.statusCode() + " " + last.body());
    }
}
