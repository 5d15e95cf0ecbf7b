package dev.whoknows.testsupport.corpus;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.whoknows.testsupport.http.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each rule of BadInputChecks rejects what it is there for. */
class BadInputChecksTest {
    private static final Corpus.Row ROW =
            Corpus.parse("r\tGET\t/\t-\t-\t400,502,500\t-\tsecret\tn").get(0);
    private static final Corpus.Row CONNECT =
            Corpus.parse("c\tCONNECT\tx:1\t-\t-\t400\t-\t-\tn").get(0);

    private static RawHttp.Response answer(int status, String body, RawHttp.Header... headers) {
        return new RawHttp.Response(
                RawHttp.Outcome.COMPLETE,
                status,
                List.of(headers),
                body.getBytes(StandardCharsets.ISO_8859_1),
                0,
                1,
                null,
                new byte[0]);
    }

    private static void verify(RawHttp.Response response) {
        BadInputChecks.verify(ROW, ROW.stub(), response);
    }

    @Test
    void aClearErrorPasses() {
        assertThatCode(() -> verify(answer(400, "{\"statusCode\":400,\"message\":\"bad path\"}")))
                .doesNotThrowAnyException();
        assertThatCode(() -> verify(answer(502, "bad gateway"))).doesNotThrowAnyException();
    }

    @Test
    void eachRuleFails() {
        assertThatThrownBy(() -> verify(answer(404, "x"))).hasMessageContaining("status");
        assertThatThrownBy(() -> verify(answer(500, "x"))).hasMessageContaining("5xx");
        assertThatThrownBy(() -> verify(answer(400, "java.lang.IllegalStateException")))
                .hasMessageContaining("stack trace");
        assertThatThrownBy(() -> verify(answer(400, "boom at dev.whoknows.Foo.bar(Foo.java:1)")))
                .hasMessageContaining("stack");
        assertThatThrownBy(() -> verify(answer(400, "<title>Directory: /</title>")))
                .hasMessageContaining("listing");
        assertThatThrownBy(() -> verify(answer(400, "root:x:0:0:root"))).hasMessageContaining("outside");
        assertThatThrownBy(() -> verify(answer(400, "  "))).hasMessageContaining("names what was wrong");
        assertThatThrownBy(() -> verify(answer(400, "the secret")))
                .hasMessageContaining("body must not contain secret");
        assertThatThrownBy(() -> verify(answer(400, "x", new RawHttp.Header("X-Echo", "secret"))))
                .hasMessageContaining("headers must not contain secret");
        RawHttp.Response cut =
                new RawHttp.Response(RawHttp.Outcome.TRUNCATED, 400, List.of(), new byte[0], 0, 1, "EOF", new byte[0]);
        assertThatThrownBy(() -> verify(cut)).hasMessageContaining("a complete response");
    }

    @Test
    void onlyAnEmptyCONNECTRefusalMayHaveNoBody() {
        assertThatCode(() -> BadInputChecks.verify(CONNECT, Set.of(400), answer(400, "")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> verify(answer(400, ""))).hasMessageContaining("names what was wrong");
    }
}
