package dev.whoknows.frontend.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.frontend.TestFrontend;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pages reference their CSS and JS by content version, so a page view does not revalidate them. */
class AssetVersionsTest {

    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final Pattern STYLE_URL = Pattern.compile("href=\"(/static/css/style\\.css\\?v=([A-Za-z0-9_-]+))\"");

    @RegisterExtension
    static final TestFrontend frontend = TestFrontend.extension().build();

    private static Matcher styleUrl(String html) {
        Matcher matcher = STYLE_URL.matcher(html);
        assertThat(matcher.find()).as("a versioned stylesheet link in %s", html).isTrue();
        return matcher;
    }

    @Test
    void aVersionedAssetIsCachedForAYearAndThePlainUrlIsRevalidated() throws Exception {
        HttpResponse<String> page = frontend.get("/");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(page.body()).containsPattern("src=\"/static/js/search\\.js\\?v=[A-Za-z0-9_-]+\"");
        String url = styleUrl(page.body()).group(1);

        HttpResponse<String> versioned = frontend.get(url);
        assertThat(versioned.statusCode()).isEqualTo(200);
        assertThat(versioned.body()).isEqualTo(TestFrontend.STYLE);
        assertThat(versioned.headers().firstValue("Cache-Control")).hasValue(IMMUTABLE);
        // the Javalin path (a flash cookie sends the page there) references and serves the same
        HttpResponse<String> flashed = frontend.get("/", "Cookie", Flash.COOKIE + "=garbage");
        assertThat(styleUrl(flashed.body()).group(1)).isEqualTo(url);

        assertThat(frontend.get("/static/css/style.css").headers().firstValue("Cache-Control"))
                .hasValue("no-cache");
        assertThat(frontend.get("/static/css/style.css?v=old").headers().firstValue("Cache-Control"))
                .hasValue("no-cache");
    }

    @Test
    void aChangedAssetGetsANewVersionAndItsOldUrlIsNoLongerImmutable() throws Exception {
        String before = styleUrl(frontend.get("/login").body()).group(1);
        Files.writeString(frontend.staticDir().resolve("css/style.css"), TestFrontend.STYLE + "p { margin: 0; }\n");
        String after = styleUrl(frontend.get("/login").body()).group(1);
        assertThat(after).isNotEqualTo(before);
        HttpResponse<String> fresh = frontend.get(after);
        assertThat(fresh.body()).endsWith("p { margin: 0; }\n");
        assertThat(fresh.headers().firstValue("Cache-Control")).hasValue(IMMUTABLE);
        assertThat(frontend.get(before).headers().firstValue("Cache-Control")).hasValue("no-cache");
        Files.writeString(frontend.staticDir().resolve("css/style.css"), TestFrontend.STYLE);
    }
}
