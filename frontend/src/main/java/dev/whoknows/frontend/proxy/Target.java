package dev.whoknows.frontend.proxy;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Builds the backend URL for a request: BACKEND_URL + the request's path + its raw query, nothing else.
 * Requests whose target could be read as something else are refused with a reason.
 */
public final class Target {

    /** A request target the frontend refuses to forward; the message is shown to the client. */
    public static final class Rejected extends Exception {
        public Rejected(String message) {
            super(message);
        }
    }

    private static final Pattern HOST =
            Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9]([A-Za-z0-9.-]{0,252}))(:[0-9]{1,5})?");
    private static final Pattern PERCENT = Pattern.compile("%(?![0-9A-Fa-f]{2})");
    private static final Pattern ENCODED_PERCENT = Pattern.compile("%25", Pattern.CASE_INSENSITIVE);
    private static final Pattern ENCODED_DOT = Pattern.compile("%2e", Pattern.CASE_INSENSITIVE);

    private final HttpUrl base;
    private final String basePath;

    public Target(URI backendUrl) {
        this.base = HttpUrl.get(backendUrl.toString());
        String path = backendUrl.getRawPath();
        this.basePath = path == null ? "" : path;
    }

    public HttpUrl base() {
        return base;
    }

    /** The backend URL for a fixed path of ours (e.g. /api/health). */
    public HttpUrl resolve(String path) {
        return base.newBuilder().encodedPath(basePath + path).build();
    }

    public HttpUrl of(Request request) throws Rejected {
        checkHost(request);
        String path = request.getHttpURI().getPath();
        checkPath(path);
        String query = request.getHttpURI().getQuery();
        if (query != null && query.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            throw new Rejected("the query string contains control characters or spaces");
        }
        HttpUrl url = base.newBuilder()
                .encodedPath(basePath + path)
                .encodedQuery(query)
                .build();
        if (!url.host().equals(base.host())
                || url.port() != base.port()
                || !url.scheme().equals(base.scheme())) {
            throw new Rejected("the request target does not stay on the backend"); // cannot happen; kept as a guard
        }
        return url;
    }

    /**
     * Absolute-form targets ("GET http://elsewhere/api/x") make Jetty take the authority from the URI,
     * so it no longer matches the Host header.
     */
    static void checkHostValue(String host, String uriAuthority) throws Rejected {
        if (host == null || host.isEmpty()) {
            throw new Rejected("a Host header is required");
        }
        if (!HOST.matcher(host).matches()) {
            throw new Rejected("the Host header is not a valid host[:port]");
        }
        if (uriAuthority != null && !sameAuthority(host, uriAuthority)) {
            throw new Rejected("absolute-form request targets are not accepted; send the path only");
        }
    }

    private static void checkHost(Request request) throws Rejected {
        var hosts = request.getHeaders().getValuesList(HttpHeader.HOST);
        if (hosts.size() > 1) {
            throw new Rejected("more than one Host header");
        }
        String host = hosts.isEmpty() ? null : hosts.get(0);
        String authority = Request.getServerName(request);
        int port = Request.getServerPort(request);
        String uriAuthority = authority == null
                ? null
                : (authority.contains(":") && !authority.startsWith("[") ? "[" + authority + "]" : authority) + ":"
                        + port;
        checkHostValue(host, uriAuthority);
    }

    private static boolean sameAuthority(String host, String uriAuthority) {
        String h = host.toLowerCase(Locale.ROOT);
        String u = uriAuthority.toLowerCase(Locale.ROOT);
        if (h.equals(u)) {
            return true;
        }
        // Host without a port: compare names only, Jetty filled in the connector's port
        int colon = u.lastIndexOf(':');
        boolean hostHasPort = h.lastIndexOf(':') > h.lastIndexOf(']');
        return !hostHasPort && colon > 0 && h.equals(u.substring(0, colon));
    }

    static void checkPath(String path) throws Rejected {
        if (path == null || !path.startsWith("/api/")) {
            throw new Rejected("only paths under /api/ are forwarded");
        }
        if (path.length() > 2048) {
            throw new Rejected("the path is longer than 2048 characters");
        }
        String lower = path.toLowerCase(Locale.ROOT);
        if (path.indexOf('\\') >= 0 || lower.contains("%5c")) {
            throw new Rejected("backslashes are not allowed in the path");
        }
        if (lower.contains("%00") || path.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            throw new Rejected("control characters are not allowed in the path");
        }
        if (path.indexOf(';') >= 0 || lower.contains("%3b")) {
            throw new Rejected("path parameters (;) are not allowed");
        }
        if (lower.contains("%2f")) {
            throw new Rejected("encoded slashes are not allowed in the path");
        }
        if (path.indexOf('%') >= 0 && PERCENT.matcher(path).find()) {
            throw new Rejected("the path has a malformed percent-encoding");
        }
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.isEmpty() && i < segments.length - 1) {
                throw new Rejected("empty path segments (//) are not allowed");
            }
            String decoded = segment;
            for (int round = 0; round < 3 && decoded.indexOf('%') >= 0; round++) {
                decoded = ENCODED_PERCENT.matcher(decoded).replaceAll("%");
                decoded = ENCODED_DOT.matcher(decoded).replaceAll(".");
            }
            if (decoded.equals(".") || decoded.equals("..")) {
                throw new Rejected("dot segments (. or ..) are not allowed in the path");
            }
        }
    }
}
