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
 *
 * <p>Jetty (HttpCompliance.RFC9110 and UriCompliance.DEFAULT, the connector's defaults; FrontendApp changes
 * neither) refuses much before a request gets here, and the edge's error handler (edge/ErrorAnswers) turns
 * that into the JSON 400 with X-Request-Id. A guard stays here only where Jetty lets the input through,
 * each with a raw-socket test ({@code TargetGuardsTest}):
 *
 * <pre>
 * guard                                  Jetty refuses it?                         here     test
 * Host missing                           HTTP/1.1 yes ("No Host"); HTTP/1.0 no     kept     hostIsRequiredOnHttp10
 * Host not host[:port] ("a_b", "-a")     "a b", "x@evil", blank yes; these no      kept     hostMustBeAHostAndPort
 * more than one Host                     yes (DUPLICATE_HOST_HEADERS)              removed  jettysRefusalsAreJson400s
 * absolute-form authority != Host        yes (MISMATCHED_AUTHORITY)                removed  jettysRefusalsAreJson400s
 * control characters/space in the query  yes (illegal character in the line)      removed  jettysRefusalsAreJson400s
 * raw "" in the path                    yes (Illegal Path Character)              removed  jettysRefusalsAreJson400s
 * "%5c" (encoded backslash)              no                                        kept     pathGuardsJettyLetsThrough
 * raw control characters, "%00"          yes                                       removed  jettysRefusalsAreJson400s
 * ";" or "%3b" (path parameters)         no                                        kept     pathGuardsJettyLetsThrough
 * "%2f" (encoded slash)                  no                                        kept     pathGuardsJettyLetsThrough
 * malformed percent-encoding ("%zz")     yes (bad URI)                             removed  jettysRefusalsAreJson400s
 * empty segment ("/api/a//b")            no                                        kept     pathGuardsJettyLetsThrough
 * dot segments (".", "..", "%2e", "%252e") no                                      kept     pathGuardsJettyLetsThrough
 * path longer than 2048 characters       no (only the header size limit, 414/431)  kept     pathGuardsJettyLetsThrough
 * path not under /api/                   n/a: FrontendApp routes only /api/ here   removed  -
 * URL leaves the backend's host          n/a: OkHttp's encodedPath cannot do that  removed  -
 * </pre>
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
        return base.newBuilder()
                .encodedPath(basePath + path)
                .encodedQuery(request.getHttpURI().getQuery())
                .build();
    }

    private static void checkHost(Request request) throws Rejected {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null || host.isEmpty()) {
            throw new Rejected("a Host header is required");
        }
        if (!HOST.matcher(host).matches()) {
            throw new Rejected("the Host header is not a valid host[:port]");
        }
    }

    private static void checkPath(String path) throws Rejected {
        if (path.length() > 2048) {
            throw new Rejected("the path is longer than 2048 characters");
        }
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains("%5c")) {
            throw new Rejected("backslashes are not allowed in the path");
        }
        if (path.indexOf(';') >= 0 || lower.contains("%3b")) {
            throw new Rejected("path parameters (;) are not allowed");
        }
        if (lower.contains("%2f")) {
            throw new Rejected("encoded slashes are not allowed in the path");
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
