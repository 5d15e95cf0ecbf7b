package dev.whoknows.stub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven: every row of src/test/resources/bad-input-stub.psv against a real stub. */
class BadInputCorpusTest {
    private static final TestStub stub = new TestStub();
    private static final Pattern REPEAT = Pattern.compile("\\{(\\d+)\\*(.)}");

    @AfterAll
    static void stop() {
        stub.close();
    }

    static Stream<Arguments> corpus() throws IOException {
        List<Arguments> rows = new ArrayList<>();
        try (InputStream in = BadInputCorpusTest.class.getResourceAsStream("/bad-input-stub.psv")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split("(?<!\\\\)\\|", -1);
                if (cells.length != 6) {
                    throw new IllegalStateException("corpus row needs 6 cells: " + line);
                }
                rows.add(Arguments.of(
                        cells[0].strip(),
                        cells[1].strip(),
                        cells[2].strip(),
                        cells[3].strip(),
                        cells[4].strip(),
                        Integer.parseInt(cells[5].strip())));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} -> {5}")
    @MethodSource("corpus")
    void row(String name, String method, String target, String headers, String body, int expected) {
        byte[] bodyBytes = bytes(body);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        write(request, method + " ");
        request.writeBytes(bytes(target));
        write(request, " HTTP/1.1\r\n");
        List<String> extra = headers.isEmpty() ? List.of() : List.of(headers.split("\\\\n"));
        boolean hostGiven = extra.stream().anyMatch(h -> h.regionMatches(true, 0, "Host:", 0, 5));
        boolean lengthGiven = extra.stream()
                .anyMatch(h -> h.regionMatches(true, 0, "Content-Length:", 0, 15)
                        || h.regionMatches(true, 0, "Transfer-Encoding:", 0, 18));
        if (!hostGiven) {
            write(request, "Host: localhost\r\n");
        }
        for (String header : extra) {
            if (!header.strip().equalsIgnoreCase("Host:")) {
                request.writeBytes(bytes(header.strip()));
                write(request, "\r\n");
            }
        }
        if (bodyBytes.length > 0 && !lengthGiven) {
            write(request, "Content-Length: " + bodyBytes.length + "\r\n");
        }
        write(request, "Connection: close\r\n\r\n");
        request.writeBytes(bodyBytes);

        TestStub.Answer answer = stub.raw(request.toByteArray());
        assertThat(answer.status()).as("%s: %s", name, answer.body()).isEqualTo(expected);
        assertThat(answer.status()).isLessThan(500);
        assertThat(answer.body())
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("<html");
        assertThat(answer.header("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        String path = new String(bytes(target), StandardCharsets.ISO_8859_1).split("\\?", 2)[0];
        TestStub.checkContract(method, path, answer.status(), answer.body());
    }

    private static void write(ByteArrayOutputStream out, String ascii) {
        out.writeBytes(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Expands {N*c}, then \r \n \t \| \xHH into raw bytes; everything else is UTF-8. */
    static byte[] bytes(String cell) {
        Matcher m = REPEAT.matcher(cell);
        StringBuilder expanded = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(expanded, Matcher.quoteReplacement(m.group(2).repeat(Integer.parseInt(m.group(1)))));
        }
        m.appendTail(expanded);
        String text = expanded.toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(i + 1);
                switch (next) {
                    case 'r' -> {
                        out.write('\r');
                        i++;
                        continue;
                    }
                    case 'n' -> {
                        out.write('\n');
                        i++;
                        continue;
                    }
                    case 't' -> {
                        out.write('\t');
                        i++;
                        continue;
                    }
                    case '|' -> {
                        out.write('|');
                        i++;
                        continue;
                    }
                    case 'x' -> {
                        out.write(Integer.parseInt(text.substring(i + 2, i + 4), 16));
                        i += 3;
                        continue;
                    }
                    default -> {}
                }
            }
            out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
