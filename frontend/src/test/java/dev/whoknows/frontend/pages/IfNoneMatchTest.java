package dev.whoknows.frontend.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.frontend.TestFrontend;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * If-None-Match by weak comparison (RFC 9110 13.1.2) on the static hot path and on the Javalin path (a flash
 * cookie sends a request there): W/ tags, lists, {@code *} and the other encoding's tag of the same content
 * are 304; a list without the current tag is a full 200.
 */
class IfNoneMatchTest {

    private static final String[] JAVALIN = {"Cookie", Flash.COOKIE + "=x"};

    @RegisterExtension
    static final TestFrontend frontend = TestFrontend.extension().build();

    private static int status(boolean javalin, String accept, String ifNoneMatch) {
        String path = "/static/css/style.css";
        return javalin
                ? frontend.getBytes(
                                path, "Accept-Encoding", accept, "If-None-Match", ifNoneMatch, JAVALIN[0], JAVALIN[1])
                        .statusCode()
                : frontend.getBytes(path, "Accept-Encoding", accept, "If-None-Match", ifNoneMatch)
                        .statusCode();
    }

    private static String tag(String accept) {
        return frontend.getBytes("/static/css/style.css", "Accept-Encoding", accept)
                .headers()
                .firstValue("ETag")
                .orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void weakTagsListsStarAndTheOtherEncodingsTagAre304(boolean javalin) {
        String plain = tag("identity");
        String zipped = tag("gzip");
        assertThat(zipped).isNotEqualTo(plain).startsWith(plain.substring(0, plain.length() - 1));
        assertThat(status(javalin, "identity", plain)).isEqualTo(304);
        assertThat(status(javalin, "identity", "W/" + plain)).isEqualTo(304);
        assertThat(status(javalin, "identity", "\"other\", W/\"more\" , " + plain))
                .isEqualTo(304);
        assertThat(status(javalin, "identity", "*")).isEqualTo(304);
        assertThat(status(javalin, "identity", zipped)).isEqualTo(304);
        assertThat(status(javalin, "gzip", plain)).isEqualTo(304);
        assertThat(status(javalin, "gzip", "W/" + zipped)).isEqualTo(304);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void tagsOfOtherContentAre200(boolean javalin) {
        String plain = tag("identity");
        String longer = plain.substring(0, plain.length() - 1) + "x\"";
        assertThat(status(javalin, "identity", "\"other\", W/\"more\"")).isEqualTo(200);
        assertThat(status(javalin, "identity", longer)).isEqualTo(200);
        assertThat(status(javalin, "identity", plain.substring(1, plain.length() - 1)))
                .isEqualTo(200);
        assertThat(status(javalin, "identity", ",")).isEqualTo(200);
        assertThat(status(javalin, "gzip", "\"" + plain.substring(2))).isEqualTo(200);
        // a prefix of the hash with a suffix is another tag (Jetty's EtagUtils.matches alone would take it)
        String prefixed = plain.substring(0, plain.length() / 2) + "--x\"";
        assertThat(status(javalin, "identity", prefixed)).isEqualTo(200);
        assertThat(status(javalin, "gzip", prefixed)).isEqualTo(200);
    }
}
