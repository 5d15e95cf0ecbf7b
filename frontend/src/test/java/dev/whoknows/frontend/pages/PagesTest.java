package dev.whoknows.frontend.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.frontend.TestFrontend;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PagesTest {

    @RegisterExtension
    static final TestFrontend frontend = TestFrontend.extension().build();

    @ParameterizedTest
    @CsvSource({
        "/,index",
        "/search,index",
        "/search?q=kubernetes,index",
        "/?q=term,index",
        "/login,login",
        "/register,register",
        "/weather,weather",
        "/about,about"
    })
    void cleanUrlsServeTheirPage(String url, String page) {
        HttpResponse<String> response = frontend.get(url);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestFrontend.unversioned(response.body())).isEqualTo(TestFrontend.page(page));
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
    }

    @Test
    void pagesCarrySecurityHeaders() {
        HttpResponse<String> response = frontend.get("/login");
        assertThat(response.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(
                        csp -> assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(response.headers().firstValue("Content-Security-Policy").orElseThrow())
                .doesNotContain("unsafe-inline");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(response.headers().firstValue("Referrer-Policy")).isPresent();
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    }

    @ParameterizedTest
    @CsvSource({
        "/index.html,/",
        "/login.html,/login",
        "/register.html,/register",
        "/weather.html,/weather",
        "/about.html,/about",
        "/login.html?next=%2Fweather&x=1,/login?next=%2Fweather&x=1",
        "/index.html?q=a+b,/?q=a+b"
    })
    void htmlFileUrlsRedirectToCleanUrlsKeepingTheQuery(String from, String to) {
        HttpResponse<String> response = frontend.get(from);
        assertThat(response.statusCode()).isEqualTo(301);
        assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith(to);
    }

    @ParameterizedTest
    @CsvSource({
        "/static/css/style.css,text/css",
        "/static/js/search.js,text/javascript",
        "/static/img/logo.svg,image/svg+xml",
        "/favicon.ico,image/vnd.microsoft.icon",
        "/robots.txt,text/plain"
    })
    void assetsAreServedWithTheirType(String url, String type) {
        HttpResponse<String> response = frontend.get(url);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith(type);
        assertThat(response.headers().firstValue("ETag")).isPresent();
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/nope",
                "/static/",
                "/static/css",
                "/static/css/",
                "/static/missing.css",
                "/static/.secret",
                "/static/css/style.css/x",
                "/index",
                "/api",
                "/404",
                "/static/css/style.css;x=1",
                "/.secret"
            })
    void unknownPathsGetThe404PageNeverAListing(String url) {
        HttpResponse<String> response = frontend.get(url);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TestFrontend.unversioned(response.body())).isEqualTo(TestFrontend.page("404"));
        assertThat(response.headers().firstValue("Content-Security-Policy")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/static/../pom.xml",
                "/static/%2e%2e/%2e%2e/etc/passwd",
                "/static/..%2f..%2fetc/passwd",
                "/static/%252e%252e/%252e%252e/etc/passwd",
                "/static/..\\..\\etc\\passwd",
                "/static/..%5c..%5cetc/passwd",
                "/static/css/..;/..;/etc/passwd",
                "/static/%00/etc/passwd",
                "/..%2f..%2fetc/passwd",
                "/static//etc/passwd"
            })
    void traversalNeverLeavesTheStaticFolder(String target) throws IOException {
        Files.writeString(frontend.staticDir().resolveSibling("outside.txt"), "outside");
        String response = frontend.raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(TestFrontend.statusOf(response)).isIn(400, 404);
        assertThat(response)
                .doesNotContain("root:")
                .doesNotContain("outside")
                .doesNotContain("at dev.whoknows")
                .doesNotContain("Exception");
        String traversal =
                frontend.raw("GET /static/../outside.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(traversal).doesNotContain("\r\n\r\noutside");
    }

    @Test
    void etagRevalidationAnswers304() {
        HttpResponse<String> first = frontend.get("/static/css/style.css");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = frontend.get("/static/css/style.css", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        HttpResponse<String> other = frontend.get("/static/css/style.css", "If-None-Match", "\"something-else\"");
        assertThat(other.statusCode()).isEqualTo(200);
        HttpResponse<String> page = frontend.get("/about");
        assertThat(frontend.get(
                                "/about",
                                "If-None-Match",
                                page.headers().firstValue("ETag").orElseThrow())
                        .statusCode())
                .isEqualTo(304);
    }

    @Test
    void textIsGzippedWhenTheClientAcceptsIt() throws IOException {
        HttpResponse<byte[]> zipped = frontend.getBytes("/static/css/style.css", "Accept-Encoding", "gzip, deflate");
        assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(zipped.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(zipped.body().length).isLessThan(TestFrontend.STYLE.length());
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(TestFrontend.STYLE);
        }
        String zippedTag = zipped.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> plain = frontend.getBytes("/static/css/style.css", "Accept-Encoding", "gzip;q=0");
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new String(plain.body(), StandardCharsets.UTF_8)).isEqualTo(TestFrontend.STYLE);
        assertThat(plain.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(zippedTag);
    }

    @Test
    void aChangedFileWithTheSameSizeAndMtimeIsServedFresh() throws Exception {
        Path file = frontend.staticDir().resolve("css/changing.css");
        FileTime jib = FileTime.fromMillis(0); // Jib stamps 1970
        Files.writeString(file, "a { color: red;  }");
        Files.setLastModifiedTime(file, jib);
        HttpResponse<String> first = frontend.get("/static/css/changing.css");
        assertThat(first.body()).isEqualTo("a { color: red;  }");

        Files.writeString(file, "a { color: blue; }");
        Files.setLastModifiedTime(file, jib);
        HttpResponse<String> second = frontend.get(
                "/static/css/changing.css",
                "If-None-Match",
                first.headers().firstValue("ETag").orElseThrow());
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo("a { color: blue; }");
        assertThat(second.headers().firstValue("ETag"))
                .isNotEqualTo(first.headers().firstValue("ETag"));
    }

    @Test
    void aChangeLongAfterTheFirstReadIsNoticedToo() throws Exception {
        Path file = frontend.staticDir().resolve("about.html");
        FileTime mtime = Files.getLastModifiedTime(file);
        String before = Files.readString(file);
        frontend.advanceClock(java.time.Duration.ofMillis(
                StaticFiles.RACY_WINDOW_MS + 300)); // past the window where content is compared byte by byte
        assertThat(TestFrontend.unversioned(frontend.get("/about").body())).isEqualTo(before);
        assertThat(TestFrontend.unversioned(frontend.get("/about").body())).isEqualTo(before);

        String after = before.replace("about page", "ABOUT PAGE");
        Files.writeString(file, after);
        Files.setLastModifiedTime(file, mtime);
        assertThat(after).hasSameSizeAs(before);
        assertThat(TestFrontend.unversioned(frontend.get("/about").body())).isEqualTo(after);
        Files.writeString(file, before);
    }

    @Test
    void aDeletedFileIsGoneAndANewOneAppears() throws IOException {
        Path file = frontend.staticDir().resolve("js/extra.js");
        Files.writeString(file, "let x = 1;");
        assertThat(frontend.get("/static/js/extra.js").statusCode()).isEqualTo(200);
        Files.delete(file);
        assertThat(frontend.get("/static/js/extra.js").statusCode()).isEqualTo(404);
    }

    @Test
    void headAnswersHeadersWithoutBody() {
        String response = frontend.raw("HEAD /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(TestFrontend.statusOf(response)).isEqualTo(200);
        int length = frontend.get("/login").body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertThat(response).containsIgnoringCase("Content-Length: " + length);
        assertThat(response).endsWith("\r\n\r\n");
    }

    @Test
    void flashCookieIsRenderedEscapedOnceAndExpired() {
        String cookie = "wk_flash=" + Flash.encode("error|<script>alert('x')</script> & \"more\" ✓");
        HttpResponse<String> response = frontend.get("/login", "Cookie", cookie);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("<ul class=\"flashes\"><li class=\"error\">"
                        + "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot; ✓</li></ul>");
        assertThat(response.body()).doesNotContain("<script>alert");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("ETag")).isEmpty();
        assertThat(response.headers().allValues("Set-Cookie"))
                .anySatisfy(c -> assertThat(c)
                        .startsWith("wk_flash=;")
                        .contains("Expires=Thu, 01 Jan 1970")
                        .contains("Path=/"));
    }

    @Test
    void infoFlashHasNoErrorClass() {
        HttpResponse<String> response = frontend.get("/", "Cookie", "wk_flash=info%7CYou%20were%20logged%20in");
        assertThat(response.body()).contains("<ul class=\"flashes\"><li>You were logged in</li></ul>");
    }

    @Test
    void brokenFlashCookieIsDroppedQuietly() {
        HttpResponse<String> response = frontend.get("/", "Cookie", "wk_flash=%E0%A4%A");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestFrontend.unversioned(response.body())).isEqualTo(TestFrontend.page("index"));
        assertThat(response.headers().allValues("Set-Cookie"))
                .anySatisfy(c -> assertThat(c).startsWith("wk_flash=;"));
    }
}
