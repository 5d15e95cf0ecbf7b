package dev.whoknows.stub.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** What must hold for every corpus row, whatever its expected status. */
public final class BadInputChecks {

    /** The frontend's documented proxy mappings; no other 5xx is acceptable anywhere. */
    public static final Set<Integer> PROXY_STATUSES = Set.of(502, 503, 504);

    private static final Pattern STACK_FRAME = Pattern.compile("\\bat [a-zA-Z_$][\\w$]*(\\.[\\w$<>]+)+\\(");
    private static final List<String> STACK_TRACE_TEXT =
            List.of("Exception", "at dev.", "at io.javalin", "at org.eclipse.jetty", "java.lang.", "\tat ");
    private static final List<String> DIRECTORY_LISTING = List.of("Directory: /", "Index of /", "<title>Directory");
    /** Text from files that must never be served: /etc/passwd, the POMs, git metadata, class files. */
    private static final List<String> LEAKS = List.of("root:x:0:0", "<modelVersion>", "[core]", "\u00ca\u00fe\u00ba\u00be");

    private BadInputChecks() {}

    public static void verify(Corpus.Row row, Set<Integer> expected, RawHttp.Response response) {
        String text = response.bodyText();
        String latin1 = new String(response.body(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(response.outcome()).as("%s: a complete response, got %s", row, response)
                .isEqualTo(RawHttp.Outcome.COMPLETE);
        assertThat(response.status()).as("%s: status, got %s", row, response).isIn(expected);
        if (response.status() >= 500) {
            assertThat(response.status()).as("%s: only the proxy mappings may be 5xx", row).isIn(PROXY_STATUSES);
        }
        for (String marker : STACK_TRACE_TEXT) {
            assertThat(text).as("%s: no stack trace in the body", row).doesNotContain(marker);
        }
        assertThat(STACK_FRAME.matcher(text).find()).as("%s: no stack frame in the body: %s", row, text).isFalse();
        for (String marker : DIRECTORY_LISTING) {
            assertThat(text).as("%s: no directory listing", row).doesNotContain(marker);
        }
        for (String marker : LEAKS) {
            assertThat(latin1).as("%s: no file outside the served content", row).doesNotContain(marker);
        }
        if (response.status() >= 400) {
            assertThat(text.strip()).as("%s: an error names what was wrong (non-empty body)", row).isNotEmpty();
        }
        for (String forbidden : row.forbid()) {
            assertThat(text).as("%s: body must not contain %s", row, forbidden).doesNotContain(forbidden);
            for (RawHttp.Header header : response.headers()) {
                assertThat(header.name() + ": " + header.value())
                        .as("%s: headers must not contain %s", row, forbidden).doesNotContain(forbidden);
            }
        }
    }
}
