package dev.whoknows.testsupport.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The corpus file parses, and a row becomes exactly the bytes its fields describe. */
class CorpusTest {

    private static Corpus.Row row(String headers, String body) {
        return Corpus.parse("r\tPOST\t/api/x?q=${repeat:ab:3}\t" + headers + "\t" + body + "\t400\t-\t-\tnote")
                .get(0);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void theCorpusHasUniquelyNamedRowsEachSentToAService() {
        List<Corpus.Row> rows = Corpus.load();
        assertThat(rows).hasSizeGreaterThan(150);
        assertThat(new HashSet<>(rows.stream().map(Corpus.Row::name).toList())).hasSameSizeAs(rows);
        assertThat(rows)
                .allSatisfy(r -> assertThat(r.stub().isEmpty() && r.frontend().isEmpty())
                        .as("%s is sent to no service", r)
                        .isFalse());
    }

    @Test
    void aRowGetsHostLengthAndCloseAddedUnlessItSetsThem() {
        assertThat(text(row("X-A: 1", "abc").request("self:1", "else:2")))
                .isEqualTo("POST /api/x?q=ababab HTTP/1.1\r\nHost: self:1\r\nX-A: 1\r\nContent-Length: 3\r\n"
                        + "Connection: close\r\n\r\nabc");
        assertThat(text(row("Host: ${elsewhere}\\r\\nContent-Length: 1", "abc").request("self:1", "else:2")))
                .isEqualTo("POST /api/x?q=ababab HTTP/1.1\r\nHost: else:2\r\nContent-Length: 1\r\n"
                        + "Connection: close\r\n\r\nabc");
        assertThat(text(row("${nohost}", "-").request("self:1", "else:2")))
                .isEqualTo("POST /api/x?q=ababab HTTP/1.1\r\nConnection: close\r\n\r\n");
    }

    @Test
    void escapesAndPlaceholdersBecomeBytes() {
        Map<String, String> vars = Map.of("self", "s:1");
        assertThat(Corpus.decode("a\\r\\n\\t\\\\\\x00\\xff\\q${self}", vars))
                .containsExactly('a', '\r', '\n', '\t', '\\', 0, 0xff, '\\', 'q', 's', ':', '1');
        assertThat(Corpus.decode("✓", vars)).as("beyond Latin-1: UTF-8").containsExactly(0xe2, 0x9c, 0x93);
        assertThat(text(Corpus.decode("${chunked:ab:40000}", vars)))
                .startsWith("10000\r\nabab")
                .contains("\r\n3880\r\n")
                .endsWith("ab\r\n0\r\n\r\n");
        assertThat(text(Corpus.decode("${repeat:X-A\\x3a b\\r\\n:2}", vars))).isEqualTo("X-A: b\r\nX-A: b\r\n");
        assertThatThrownBy(() -> Corpus.decode("${nope}", vars)).hasMessageContaining("${nope}");
    }

    @Test
    void aRowKnowsItsTargetMethodAndName() {
        Corpus.Row row = Corpus.parse("long\tHEAD\t/" + "a".repeat(100) + "\t-\t-\t-\t200,404\tX|Y\tn")
                .get(0);
        assertThat(row.head()).isTrue();
        assertThat(row.stub()).isEmpty();
        assertThat(row.frontend()).containsExactly(200, 404);
        assertThat(row.forbid()).containsExactly("X", "Y");
        assertThat(row.requestTarget("s", "e")).hasSize(101);
        assertThat(row.toString()).startsWith("long (corpus line 1: HEAD /aaa").endsWith("...)");
        assertThat(row("-", "-").head()).isFalse();
    }

    @Test
    void aBrokenFileSaysWhichLine() {
        assertThatThrownBy(() -> Corpus.parse("# c\n\na\tGET\t/\t-\t-\t200\n"))
                .hasMessageContaining("corpus line 3")
                .hasMessageContaining("9 tab-separated columns");
        assertThatThrownBy(() -> Corpus.parse("a\tGET\t/\t-\t-\t200\t-\t-\tn\na\tGET\t/\t-\t-\t200\t-\t-\tn"))
                .hasMessageContaining("corpus line 2: duplicate name a");
    }
}
