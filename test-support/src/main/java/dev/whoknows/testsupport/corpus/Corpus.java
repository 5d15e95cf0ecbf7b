package dev.whoknows.testsupport.corpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The bad-input corpus ({@code /badinput/corpus.tsv}, shared by both services' suites).
 *
 * <p>Columns (tab separated): name, method, target, headers, body, stub, frontend, forbid, notes.
 * The expected-status columns list the acceptable statuses ({@code 400,404}); {@code -} skips the row
 * for that service. Fields use escapes so the file stays plain ASCII: {@code \r \n \t \\ \xHH}, and
 * placeholders {@code ${self}} (host:port of the service under test), {@code ${elsewhere}} (a server
 * that must never be reached), {@code ${repeat:TEXT:N}}, {@code ${chunked:TEXT:N}} (TEXT x N as a
 * chunked body) and {@code ${nohost}} (send no Host header). Host, Content-Length (when there is a
 * body and no framing header) and {@code Connection: close} are added unless the row sets them.
 * {@code forbid} lists {@code |}-separated strings that must appear nowhere in the response.
 */
public final class Corpus {

    public record Row(
            int line,
            String name,
            String method,
            String target,
            String headers,
            String body,
            Set<Integer> stub,
            Set<Integer> frontend,
            List<String> forbid,
            String notes) {

        public boolean head() {
            return method.equals("HEAD");
        }

        /** The request target as sent (escapes and placeholders expanded), one char per byte. */
        public String requestTarget(String self, String elsewhere) {
            return new String(
                    decode(target, Map.of("self", self, "elsewhere", elsewhere)), StandardCharsets.ISO_8859_1);
        }

        /** The exact bytes to send to the service at {@code self}. */
        public byte[] request(String self, String elsewhere) {
            Map<String, String> vars = Map.of("self", self, "elsewhere", elsewhere);
            String headerText = new String(decode(headers, vars), StandardCharsets.ISO_8859_1);
            boolean noHost = headers.contains("${nohost}");
            String lower = "\n" + headerText.toLowerCase(Locale.ROOT);
            byte[] bodyBytes = decode(body, vars);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(decode(method, vars));
            out.writeBytes(" ".getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(decode(target, vars));
            StringBuilder head = new StringBuilder(" HTTP/1.1\r\n");
            if (!noHost && !lower.contains("\nhost:")) {
                head.append("Host: ").append(self).append("\r\n");
            }
            head.append(headerText);
            if (!headerText.isEmpty() && !headerText.endsWith("\r\n")) {
                head.append("\r\n");
            }
            if (bodyBytes.length > 0
                    && !lower.contains("\ncontent-length:")
                    && !lower.contains("\ntransfer-encoding:")) {
                head.append("Content-Length: ").append(bodyBytes.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(bodyBytes);
            return out.toByteArray();
        }

        @Override
        public String toString() {
            return name + " (corpus line " + line + ": " + method + " " + abbreviate(target) + ")";
        }
    }

    private Corpus() {}

    public static List<Row> load() {
        try (InputStream in = Corpus.class.getResourceAsStream("/badinput/corpus.tsv")) {
            if (in == null) {
                throw new IllegalStateException("classpath resource /badinput/corpus.tsv is missing");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Row> parse(String text) {
        List<Row> rows = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 9) {
                throw new IllegalArgumentException(
                        "corpus line " + (i + 1) + ": expected 9 tab-separated columns, got " + f.length);
            }
            if (!names.add(f[0])) {
                throw new IllegalArgumentException("corpus line " + (i + 1) + ": duplicate name " + f[0]);
            }
            List<String> forbid = f[7].equals("-") ? List.of() : List.of(f[7].split("\\|"));
            rows.add(new Row(
                    i + 1, f[0], f[1], f[2], dash(f[3]), dash(f[4]), statuses(f[5]), statuses(f[6]), forbid, f[8]));
        }
        return rows;
    }

    private static String dash(String field) {
        return field.equals("-") ? "" : field;
    }

    private static Set<Integer> statuses(String field) {
        if (field.equals("-")) {
            return Set.of();
        }
        return Arrays.stream(field.split(","))
                .map(String::trim)
                .map(Integer::valueOf)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Expands escapes and placeholders into bytes (chars below 256 become one byte, others UTF-8). */
    static byte[] decode(String field, Map<String, String> vars) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '$' && i + 1 < field.length() && field.charAt(i + 1) == '{') {
                int end = field.indexOf('}', i);
                out.writeBytes(placeholder(field.substring(i + 2, end), vars));
                i = end;
            } else if (c == '\\' && i + 1 < field.length()) {
                char e = field.charAt(++i);
                switch (e) {
                    case 'r' -> out.write('\r');
                    case 'n' -> out.write('\n');
                    case 't' -> out.write('\t');
                    case '\\' -> out.write('\\');
                    case 'x' -> {
                        out.write(Integer.parseInt(field.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    default -> {
                        out.write('\\');
                        out.write(e);
                    }
                }
            } else if (c < 256) {
                out.write(c);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private static byte[] placeholder(String spec, Map<String, String> vars) {
        int first = spec.indexOf(':');
        int last = spec.lastIndexOf(':');
        String[] p = first < 0
                ? new String[] {spec}
                : new String[] {
                    spec.substring(0, first),
                    spec.substring(first + 1, Math.max(first + 1, last)),
                    spec.substring(last + 1)
                };
        switch (p[0]) {
            case "nohost":
                return new byte[0];
            case "repeat":
                return repeat(decode(p[1], vars), Integer.parseInt(p[2]));
            case "chunked": {
                byte[] all = repeat(decode(p[1], vars), Integer.parseInt(p[2]));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int i = 0; i < all.length; i += 65536) {
                    int n = Math.min(65536, all.length - i);
                    out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(all, i, n);
                    out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                return out.toByteArray();
            }
            default:
                String value = vars.get(p[0]);
                if (value == null) {
                    throw new IllegalArgumentException("unknown corpus placeholder ${" + spec + "}");
                }
                return value.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] repeat(byte[] unit, int times) {
        byte[] out = new byte[unit.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(unit, 0, out, i * unit.length, unit.length);
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
