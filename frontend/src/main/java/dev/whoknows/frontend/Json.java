package dev.whoknows.frontend;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The frontend's JSON: writing flat objects of its own answers (by hand: jackson-jr's writer cost ~110 ms of CPU
 * on the way to the first /api/health, bench/NOTES.md), and reading the backend's small auth answers (forms/)
 * with jackson-jr, loaded at the first read, never during start-up.
 *
 * <p>Reading is strict RFC 8259: objects become {@link Map}s (in order), arrays {@link List}s, numbers
 * {@link Integer}/{@link Long}/{@link java.math.BigInteger} or {@link Double}; anything malformed, trailing
 * text or nesting deeper than {@value Reader#MAX_DEPTH} levels is an {@link IllegalArgumentException} naming
 * the offset and the problem.
 */
public final class Json {

    /** What a character is written as inside a JSON string, for those that are not written as they are. */
    private static final String[] ESCAPES = new String[0x80];

    static {
        for (char c = 0; c < 0x20; c++) {
            ESCAPES[c] = String.format("\\u%04x", (int) c);
        }
        ESCAPES['"'] = "\\\"";
        ESCAPES['\\'] = "\\\\";
        ESCAPES['\n'] = "\\n";
        ESCAPES['\r'] = "\\r";
        ESCAPES['\t'] = "\\t";
    }

    private Json() {}

    /** Writes a flat object whose values are strings, numbers, booleans or null, in the map's order. */
    public static String object(Map<String, ?> fields) {
        StringBuilder out = new StringBuilder(64).append('{');
        for (Map.Entry<String, ?> field : fields.entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            string(out, field.getKey()).append(':');
            Object value = field.getValue();
            if (value == null || value instanceof Number || value instanceof Boolean) {
                out.append(value);
            } else {
                string(out, value.toString());
            }
        }
        return out.append('}').toString();
    }

    /** A JSON string; U+2028 and U+2029 are escaped too (line breaks to JavaScript). */
    private static StringBuilder string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String escape = c < 0x80 ? ESCAPES[c] : null;
            if (escape != null) {
                out.append(escape);
            } else if (c == 0x2028 || c == 0x2029) {
                out.append("\\u").append(Integer.toHexString(c));
            } else {
                out.append(c);
            }
        }
        return out.append('"');
    }

    /** Parses one JSON value (surrounded by optional whitespace). */
    public static Object parse(String text) {
        return Reader.parse(text);
    }

    /** jackson-jr, in a holder class so that start-up, which only writes, never loads it. */
    private static final class Reader {
        static final int MAX_DEPTH = 64;

        private static final JsonFactory FACTORY = new JsonFactoryBuilder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .build())
                .build();

        private static final JSON JR =
                JSON.builder(FACTORY).disable(JSON.Feature.USE_DEFERRED_MAPS).build();

        static Object parse(String text) {
            try (JsonParser parser = FACTORY.createParser(text)) {
                try {
                    if (parser.nextToken() == null) {
                        throw invalid(text.length(), "no value");
                    }
                    Object value = JR.anyFrom(parser);
                    if (parser.nextToken() != null) {
                        throw invalid(parser.currentTokenLocation().getCharOffset(), "unexpected text after the value");
                    }
                    return value;
                } catch (JsonProcessingException ex) {
                    var where = ex.getLocation() == null ? parser.currentLocation() : ex.getLocation();
                    throw invalid(where.getCharOffset(), ex.getOriginalMessage());
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex); // a String source does not fail
            }
        }

        private static IllegalArgumentException invalid(long offset, String problem) {
            return new IllegalArgumentException("invalid JSON at offset " + offset + ": " + problem);
        }
    }
}
