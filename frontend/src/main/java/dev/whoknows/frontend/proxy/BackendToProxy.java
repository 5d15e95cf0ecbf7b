package dev.whoknows.frontend.proxy;

import java.net.ProtocolException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.Headers;
import okhttp3.Response;
import org.eclipse.jetty.http.HttpFields;

/** Backend → proxy: checks the backend's status line and headers and copies what may go on to the client. */
public final class BackendToProxy {

    /** Jetty's response header buffer is twice this (FrontendApp), leaving room for our own headers. */
    public static final int MAX_BACKEND_HEADER_BYTES = 8 * 1024;
    /** Set by the frontend on every answer (the edge, Jetty): a backend's copy would make them twice. */
    private static final Set<String> OWN = Set.of("date", "x-request-id", "x-content-type-options");

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Compiled once: {@code String.matches} compiled it for every proxied answer (bench/NOTES.md item 8). */
    private static final Pattern LENGTH = Pattern.compile("[0-9]{1,18}");

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
        long size = 0;
        for (int i = 0; i < response.headers().size(); i++) {
            String name = response.headers().name(i);
            if (!TOKEN.matcher(name).matches()) {
                throw new ProtocolException("invalid header name '" + name + "'");
            }
            size += name.length() + response.headers().value(i).length() + 4;
        }
        if (size > MAX_BACKEND_HEADER_BYTES) {
            throw new ProtocolException("response headers larger than " + MAX_BACKEND_HEADER_BYTES + " bytes");
        }
        String length = response.header("Content-Length");
        if (length != null && !LENGTH.matcher(length).matches()) {
            throw new ProtocolException("invalid Content-Length '" + length + "'");
        }
    }
}
