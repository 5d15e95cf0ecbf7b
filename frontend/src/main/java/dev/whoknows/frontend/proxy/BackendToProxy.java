package dev.whoknows.frontend.proxy;

import java.net.ProtocolException;
import java.util.Locale;
import java.util.Set;
import okhttp3.Headers;
import okhttp3.Response;
import org.eclipse.jetty.http.HttpFields;

/** Backend → proxy: checks the backend's status line and headers and copies what may go on to the client. */
public final class BackendToProxy {

    /** Jetty's response header buffer is twice this (FrontendApp), leaving room for our own headers. */
    public static final int MAX_BACKEND_HEADER_BYTES = 8 * 1024;
    /** Set by the frontend on every answer (the edge, Jetty): a backend's copy would make them twice. */
    private static final Set<String> OWN = Set.of("date", "x-request-id", "x-content-type-options");

    private static final String TOKEN_SYMBOLS = "!#$%&'*+.^_`|~-";

    private BackendToProxy() {}

    /**
     * Copies status and end-to-end headers of a backend answer; every Set-Cookie is kept; Date,
     * X-Request-Id and X-Content-Type-Options are the frontend's own (two would contradict each other). A status or
     * header Jetty could not send on (OkHttp parses leniently) makes the answer malformed: 502.
     */
    public static void copyHead(Response response, org.eclipse.jetty.server.Response to) throws ProtocolException {
        checkHead(response);
        to.setStatus(response.code());
        Headers headers = response.headers();
        HopByHop hopByHop = new HopByHop(headers.values("Connection"));
        HttpFields.Mutable fields = to.getHeaders();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            String lower = name.toLowerCase(Locale.ROOT);
            if (hopByHop.contains(lower) || OWN.contains(lower)) {
                continue;
            }
            fields.add(name, headers.value(i));
        }
    }

    private static void checkHead(Response response) throws ProtocolException {
        if (response.code() < 100 || response.code() > 599) {
            throw new ProtocolException("status " + response.code() + " is out of range");
        }
        Headers headers = response.headers();
        long size = 0;
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (!isToken(name)) {
                throw new ProtocolException("invalid header name '" + name + "'");
            }
            size += name.length() + headers.value(i).length() + 4;
        }
        if (size > MAX_BACKEND_HEADER_BYTES) {
            throw new ProtocolException("response headers larger than " + MAX_BACKEND_HEADER_BYTES + " bytes");
        }
        String length = headers.get("Content-Length");
        if (length != null && !isLength(length)) {
            throw new ProtocolException("invalid Content-Length '" + length + "'");
        }
    }

    /**
     * An RFC 9110 token: {@code [!#$%&'*+.^_`|~0-9A-Za-z-]+}. A loop, not a regular expression: it runs for
     * every header of every proxied answer (bench/NOTES.md).
     */
    static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!alnum && TOKEN_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** 1 to 18 ASCII digits (fits a long). */
    static boolean isLength(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
