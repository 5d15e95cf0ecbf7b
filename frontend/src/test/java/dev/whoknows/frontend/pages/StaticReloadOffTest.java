package dev.whoknows.frontend.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.frontend.TestFrontend;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * STATIC_RELOAD=off (the production images): each file is read once, on first use, and what was read is
 * served until the process ends, on both paths; files never asked for are still found.
 */
class StaticReloadOffTest {

    @RegisterExtension
    static final TestFrontend frontend =
            TestFrontend.extension().env("STATIC_RELOAD", "off").build();

    @Test
    void aFileReadOnceIsServedAsReadEvenAfterAnEdit() throws Exception {
        Path style = frontend.staticDir().resolve("css/style.css");
        HttpResponse<String> first = frontend.get("/static/css/style.css");
        String page = frontend.get("/").body();
        assertThat(first.body()).isEqualTo(TestFrontend.STYLE);

        Files.writeString(style, "p { margin: 0; }\n");
        HttpResponse<String> later = frontend.get("/static/css/style.css");
        assertThat(later.body()).isEqualTo(TestFrontend.STYLE);
        assertThat(later.headers().firstValue("ETag")).isEqualTo(first.headers().firstValue("ETag"));
        assertThat(frontend.get("/").body()).isEqualTo(page);
        // the Javalin path (a flash cookie sends the page there) keeps the same copy
        assertThat(frontend.get("/static/css/style.css", "Cookie", Flash.COOKIE + "=garbage")
                        .body())
                .isEqualTo(TestFrontend.STYLE);

        Files.delete(style);
        assertThat(frontend.get("/static/css/style.css").statusCode()).isEqualTo(200);
    }

    @Test
    void aFileNotYetAskedForIsFoundAndAMissingOneIs404() throws Exception {
        Files.writeString(frontend.staticDir().resolve("late.txt"), "written after start\n");
        assertThat(frontend.get("/static/late.txt").body()).isEqualTo("written after start\n");
        assertThat(frontend.get("/static/never.txt").statusCode()).isEqualTo(404);
    }
}
