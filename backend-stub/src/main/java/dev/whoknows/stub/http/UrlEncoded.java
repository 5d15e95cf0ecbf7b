package dev.whoknows.stub.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Strict {@code application/x-www-form-urlencoded} decoding, for query strings and form bodies alike:
 * a malformed %-escape or bytes that are not UTF-8 are an error naming the escape, never a silent
 * replacement character (java.net.URLDecoder and Jetty's query decoding both replace or drop).
 */
public final class UrlEncoded {

    /** What is wrong with an encoded value; the message names the escape, e.g. {@code bad %-escape '%zz'}. */
    public static final class Malformed extends IllegalArgumentException {
        Malformed(String message) {
            super(message, null);
        }
    }

    private UrlEncoded() {}

    /**
     * Name/value pairs of {@code a=1&b=2}; the first occurrence of a name wins. Each char of
     * {@code encoded} up to U+00FF stands for one byte (read a body as ISO-8859-1; see {@link #parseQuery}).
     */
    public static Map<String, String> parse(String encoded) {
        Map<String, String> fields = new HashMap<>();
        if (encoded == null) {
            return fields;
        }
        for (String pair : encoded.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            fields.putIfAbsent(name, value);
        }
        return fields;
    }

    /** A raw query string as the server hands it over (raw non-ASCII characters as text). */
    public static Map<String, String> parseQuery(String rawQuery) {
        return rawQuery == null
                ? new HashMap<>()
                : parse(new String(rawQuery.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }

    /** One percent-encoded value ({@code +} is a space), decoded into bytes and then strictly as UTF-8. */
    public static String decode(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    throw new Malformed("incomplete %-escape " + shown(encoded.substring(i)));
                }
                int hi = Character.digit(encoded.charAt(i + 1), 16);
                int lo = Character.digit(encoded.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new Malformed("bad %-escape " + shown(encoded.substring(i, i + 3)));
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c > 0xff) {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("not valid UTF-8: " + shown(badEscapes(encoded)));
        }
    }

    /** The %-escapes of bytes 0x80 and above, the ones that can make invalid UTF-8 (e.g. {@code %C3}). */
    private static String badEscapes(String encoded) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i + 2 < encoded.length(); i++) {
            if (encoded.charAt(i) == '%' && Character.digit(encoded.charAt(i + 1), 16) >= 8) {
                out.append(encoded, i, i + 3);
                i += 2;
            }
        }
        return out.isEmpty() ? encoded : out.toString();
    }

    private static String shown(String value) {
        return "'" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'";
    }
}
