package dev.whoknows.frontend.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.frontend.TestFrontend;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An asset answered by the static hot path (StaticHandler) and by the Javalin route (a request carrying a
 * flash cookie goes there) must look the same to a client: headers, ETag, 304 and gzip.
 */
class BothPathsTest {

    @RegisterExtension
    static final TestFrontend frontend = TestFrontend.extension().build();

    /** The headers a client acts on; Date and the request id differ per request. */
    private static Map<String, List<String>> comparable(HttpResponse<?> response) {
        Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
        headers.remove("date");
        headers.remove("x-request-id");
        return headers;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/static/css/style.css",
                "/static/js/search.js",
                "/favicon.ico",
                "/robots.txt",
                "/static/img/logo.svg"
            })
    void hotPathAndJavalinAnswerAlike(String path) {
        String[] javalin = {"Cookie", Flash.COOKIE + "=x"};
        for (String encoding : new String[] {"identity", "gzip"}) {
            HttpResponse<byte[]> hot = frontend.getBytes(path, "Accept-Encoding", encoding);
            HttpResponse<byte[]> slow = frontend.getBytes(path, "Accept-Encoding", encoding, javalin[0], javalin[1]);
            assertThat(hot.statusCode()).isEqualTo(200);
            assertThat(slow.statusCode()).isEqualTo(200);
            assertThat(comparable(slow)).as("%s %s", path, encoding).isEqualTo(comparable(hot));
            assertThat(slow.body()).isEqualTo(hot.body());

            String etag = hot.headers().firstValue("ETag").orElseThrow();
            HttpResponse<byte[]> hot304 = frontend.getBytes(path, "Accept-Encoding", encoding, "If-None-Match", etag);
            HttpResponse<byte[]> slow304 =
                    frontend.getBytes(path, "Accept-Encoding", encoding, "If-None-Match", etag, javalin[0], javalin[1]);
            assertThat(hot304.statusCode()).isEqualTo(304);
            assertThat(slow304.statusCode()).isEqualTo(304);
            assertThat(comparable(slow304)).as("304 %s %s", path, encoding).isEqualTo(comparable(hot304));
        }
        HttpResponse<byte[]> zipped = frontend.getBytes("/static/css/style.css", "Accept-Encoding", "gzip");
        assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
    }
}
