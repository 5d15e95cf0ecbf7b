package dev.whoknows.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.whoknows.frontend.testing.ContractCheckedWireMock;
import dev.whoknows.frontend.testing.FormRequest;
import dev.whoknows.stub.StubApp;
import dev.whoknows.stub.StubConfig;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The WireMock backend of the frontend's tests answers like the real stub backend: each request the tests send
 * goes to both, and status, body and Set-Cookie must agree (for search, weather and health, whose content is the
 * stub's data, the status and the JSON fields). The contract check covers the shapes; this covers behaviour the
 * contract allows either way, such as 409 against 422 for a registration.
 */
class BackendStubsMatchTheStubTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ContractCheckedWireMock mock = ContractCheckedWireMock.backend(BackendStubs::install);

    static Javalin stub;

    @BeforeAll
    static void startTheRealStub() {
        stub = StubApp.create(StubConfig.fromEnv(Map.of("BACKEND_INTERNAL_PORT", "0", "LOG_LEVEL", "warn")))
                .start();
    }

    @AfterAll
    static void stop() {
        stub.stop();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                // method | path | form body | compare: body (all of it) or fields (status and JSON field names)
                "GET|/api/health||fields",
                "GET|/api/search?q=kubernetes&language=en||fields",
                "GET|/api/search/?q=kubernetes||fields",
                "GET|/api/search||body",
                "GET|/api/search?q=a&language=xx||body",
                "GET|/api/weather||fields",
                "GET|/api/session||body",
                "POST|/api/login|username=demo&password=demo1234|body",
                "POST|/api/login|username=demo&password=wrong|body",
                "POST|/api/login|username=nobody&password=x|body",
                "POST|/api/login|username=demo|body",
                "POST|/api/register|username=alice&email=alice%40example.org&password=pw123456&password2=pw123456|body",
                "POST|/api/register|username=demo&email=demo%40example.com&password=demo1234&password2=demo1234|body",
                "POST|/api/register|username=demo&email=d%40example.org&password=a&password2=a|body",
                "POST|/api/register|username=demo&email=d%40example.org&password=a&password2=b|body",
                "POST|/api/register|username=carol&email=c%40example.org&password=ab&password2=a|body",
                "POST|/api/register|username=bob&password=pw|body",
                "POST|/api/register|username=bob&email=b%40example.org|body",
                "POST|/api/register|email=b%40example.org&password=pw|body",
                "GET|/api/logout||body",
                "GET|/api/not-an-endpoint-xxxxxxxxxxxxxxxxxxxx||body",
                "GET|/api/broken||body",
                "DELETE|/api/search||body",
                "GET|/api/login||body"
            })
    void theMockAnswersAsTheStubDoes(String method, String path, String form, String compare) throws IOException {
        HttpResponse<String> real = FormRequest.send(method, "http://localhost:" + stub.port() + path, form);
        HttpResponse<String> mocked = FormRequest.send(method, mock.url(path), form);

        assertThat(mocked.statusCode())
                .as("status; the stub said %s", real.body())
                .isEqualTo(real.statusCode());
        if (compare.equals("body")) {
            assertThat(mocked.body()).isEqualTo(real.body());
        } else {
            assertThat(fields(mocked.body())).isEqualTo(fields(real.body()));
        }
        assertThat(cookieShape(mocked)).as("Set-Cookie").isEqualTo(cookieShape(real));
        for (String header : List.of("Content-Type", "Cache-Control", "Allow", "Retry-After")) {
            assertThat(mocked.headers().allValues(header))
                    .as(header)
                    .isEqualTo(real.headers().allValues(header));
        }
    }

    /** The field names of a JSON object, and of the first element of its "data" list or object, in order. */
    private static List<String> fields(String body) throws IOException {
        JsonNode root = JSON.readTree(body);
        List<String> names = new ArrayList<>();
        root.fieldNames().forEachRemaining(names::add);
        JsonNode data = root.path("data");
        JsonNode first = data.isArray() && !data.isEmpty() ? data.get(0) : data;
        for (Iterator<String> it = first.fieldNames(); it.hasNext(); ) {
            names.add("data." + it.next());
        }
        return names;
    }

    /** Set-Cookie headers with a session id (32 random bytes, base64url, in the stub) shown as {@code <id>}. */
    private static List<String> cookieShape(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .map(c -> c.replaceFirst("^session=([A-Za-z0-9_-]{43});", "session=<id>;"))
                .toList();
    }
}
