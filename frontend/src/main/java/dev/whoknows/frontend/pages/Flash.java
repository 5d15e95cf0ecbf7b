package dev.whoknows.frontend.pages;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.HttpCookieUtils;

/**
 * The one-shot {@code wk_flash} cookie: value = encodeURIComponent("kind|message"), kind info or error.
 */
public record Flash(String kind, String message) {

    public static final String COOKIE = "wk_flash";
    private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()";
    private static final String FLASHES_OPEN = "<ul class=\"flashes\">";

    public static Flash info(String message) {
        return new Flash("info", message);
    }

    public static Flash error(String message) {
        return new Flash("error", message);
    }

    /** Parses a cookie value; empty when it is blank or not valid percent-encoded UTF-8. */
    public static Optional<Flash> parse(String cookieValue) {
        if (cookieValue == null || cookieValue.isBlank()) {
            return Optional.empty();
        }
        String text = decode(cookieValue);
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        int bar = text.indexOf('|');
        if (bar < 0) {
            return Optional.of(info(text));
        }
        String kind = text.substring(0, bar);
        return Optional.of(new Flash(kind.equals("error") ? "error" : "info", text.substring(bar + 1)));
    }

    /** Set-Cookie header value that carries this flash across a redirect (written by Jetty's cookie code). */
    public String setCookieHeader() {
        return setCookie(encode(kind + "|" + message), 60);
    }

    /** Set-Cookie header value that deletes the flash (Jetty writes it as an Expires date in 1970). */
    public static String expireCookieHeader() {
        return setCookie("", 0);
    }

    private static String setCookie(String value, int maxAgeSeconds) {
        return HttpCookieUtils.getRFC6265SetCookie(HttpCookie.build(COOKIE, value)
                .path("/")
                .maxAge(maxAgeSeconds)
                .sameSite(HttpCookie.SameSite.LAX)
                .build());
    }

    /** Inserts this message into the page's {@code <ul class="flashes">}; the page is returned unchanged without one. */
    public byte[] renderInto(byte[] page) {
        String html = new String(page, StandardCharsets.UTF_8);
        int at = html.indexOf(FLASHES_OPEN);
        if (at < 0) {
            return page;
        }
        int insert = at + FLASHES_OPEN.length();
        String item = (kind.equals("error") ? "<li class=\"error\">" : "<li>") + escape(message) + "</li>";
        return (html.substring(0, insert) + item + html.substring(insert)).getBytes(StandardCharsets.UTF_8);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Same output as JavaScript's encodeURIComponent. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && UNRESERVED.indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Percent-decoding as decodeURIComponent does ('+' stays '+'); null when malformed. */
    static String decode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    return null;
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                return null;
            }
        }
        byte[] bytes = out.toByteArray();
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException ex) {
            return null;
        }
    }
}
