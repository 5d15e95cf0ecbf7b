package dev.whoknows.frontend;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The frontend's JSON, by jackson-jr: writing flat objects of its own answers, and reading the backend's small
 * auth answers (forms/). Start-up cost measured against the hand-written code it replaced: bench/NOTES.md.
 *
 * <p>Reading is strict RFC 8259: objects become {@link Map}s (in order), arrays {@link List}s, numbers
 * {@link Integer}/{@link Long}/{@link java.math.BigInteger} or {@link Double}; anything malformed, trailing
 * text or nesting deeper than {@value #MAX_DEPTH} levels is an {@link IllegalArgumentException} naming the
 * offset and the problem.
 */
public final class Json {

    private static final int MAX_DEPTH = 64;

    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .characterEscapes(new Escapes())
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build();

    private static final JSON JR = JSON.builder(FACTORY)
            .enable(JSON.Feature.WRITE_NULL_PROPERTIES)
            .disable(JSON.Feature.USE_DEFERRED_MAPS)
            .build();

    private Json() {}

    /** Writes a flat object whose values are strings, numbers, booleans or null, in the map's order. */
    public static String object(Map<String, ?> fields) {
        try {
            return JR.asString(fields);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // a String target does not fail
        }
    }

    /** Parses one JSON value (surrounded by optional whitespace). */
    public static Object parse(String text) {
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

    /**
     * JSON's standard escapes, plus \u2028 and \u2029 (line breaks to JavaScript) and \b, \f as \\u escapes:
     * the bytes the frontend wrote before jackson-jr.
     */
    private static final class Escapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private static final int[] ASCII = standardAsciiEscapesForJSON();

        static {
            ASCII['\b'] = ESCAPE_STANDARD;
            ASCII['\f'] = ESCAPE_STANDARD;
        }

        private static final SerializedString LS = new SerializedString("\\u2028");
        private static final SerializedString PS = new SerializedString("\\u2029");

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == 0x2028 ? LS : ch == 0x2029 ? PS : null;
        }
    }
}
