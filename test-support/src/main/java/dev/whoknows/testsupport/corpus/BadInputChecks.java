package dev.whoknows.testsupport.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.testsupport.http.RawHttp;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** What must hold for every corpus row, whatever its expected status. */
public final class BadInputChecks {

    /**
     * The only 5xx statuses a bad request may get: the frontend's documented proxy mappings
     * (502/503/504) and 505, Jetty's answer to a request line without an HTTP/1.x version.
     */
    public static final Set<Integer> ALLOWED_5XX = Set.of(502, 503, 504, 505);

    private static final Pattern STACK_FRAME = Pattern.compile("\\bat [a-zA-Z_$][\\w$]*(\\.[\\w$<>]+)+\\(");
    private static final List<String> STACK_TRACE_TEXT =
            List.of("Exception", "at dev.", "at io.javalin", "at org.eclipse.jetty", "java.lang.", "\tat ");
    private static final List<String> DIRECTORY_LISTING = List.of("Directory: /", "Index of /", "<title>Directory");
    /** Text from files that must never be served: /etc/passwd, the POMs, git metadata, class files. */
    private static final List<String> LEAKS =
            List.of("root:x:0:0", "<modelVersion>", "[core]", "\u00ca\u00fe\u00ba\u00be");

    private BadInputChecks() {}

    /**
     * Jetty refuses a CONNECT to an authority (a tunnel request) before any handler runs, with an empty
     * 400: the one error without a body.
     */
    public static boolean isTunnelRefusal(Corpus.Row row, RawHttp.Response response) {
        return row.method().equals("CONNECT") && response.status() == 400 && response.body().length == 0;
    }

    public static void verify(Corpus.Row row, Set<Integer> expected, RawHttp.Response response) {
        String text = response.bodyText();
        String latin1 = new String(response.body(), java.nio.charset.StandardCharsets.ISO_8859_1);
        String where = row + " -> " + response;
        assertThat(response.outcome()).as("a complete response: %s", where).isEqualTo(RawHttp.Outcome.COMPLETE);
        assertThat(response.status()).as("status: %s", where).isIn(expected);
        if (response.status() >= 500) {
            assertThat(response.status())
                    .as("only the documented mappings may be 5xx: %s", where)
                    .isIn(ALLOWED_5XX);
        }
        for (String marker : STACK_TRACE_TEXT) {
            assertThat(text).as("no stack trace in the body: %s", where).doesNotContain(marker);
        }
        assertThat(STACK_FRAME.matcher(text).find())
                .as("no stack frame in the body: %s", where)
                .isFalse();
        for (String marker : DIRECTORY_LISTING) {
            assertThat(text).as("no directory listing: %s", where).doesNotContain(marker);
        }
        for (String marker : LEAKS) {
            assertThat(latin1)
                    .as("no file outside the served content: %s", where)
                    .doesNotContain(marker);
        }
        if (response.status() >= 400 && !isTunnelRefusal(row, response)) {
            assertThat(text.strip())
                    .as("an error names what was wrong (non-empty body): %s", where)
                    .isNotEmpty();
        }
        for (String forbidden : row.forbid()) {
            assertThat(text)
                    .as("body must not contain %s: %s", forbidden, where)
                    .doesNotContain(forbidden);
            for (RawHttp.Header header : response.headers()) {
                assertThat(header.name() + ": " + header.value())
                        .as("headers must not contain %s: %s", forbidden, where)
                        .doesNotContain(forbidden);
            }
        }
    }
}
