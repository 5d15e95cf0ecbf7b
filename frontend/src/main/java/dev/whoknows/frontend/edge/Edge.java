package dev.whoknows.frontend.edge;

import dev.whoknows.frontend.pages.PageRoutes;
import java.util.Set;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * The one place every request passes first, in front of the static hot path, the proxy and Javalin:
 * request id, security headers, route class, the method policy, leading "//" and trailing "/" of page
 * URLs. What it refuses it answers through the server's error handler ({@link ErrorAnswers}), so every
 * refusal has the same shape as Jetty's own. It never blocks: the static hot path behind it runs on
 * Jetty's selector threads.
 */
public final class Edge extends Handler.Wrapper {

    /** Methods the proxy forwards; everything else is refused before any handler. */
    static final Set<String> FORWARDED = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "QUERY");

    static final String ALLOW_FORWARDED = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, QUERY";
    static final String ALLOW_READ = "GET, HEAD";

    private final Predicate<Request> ownApiPath;
    private final Predicate<String> pageUrl;

    /**
     * @param ownApiPath the /api/ requests the frontend answers itself (health, ready, metrics): GET and HEAD only
     * @param pageUrl    the page URLs ("/login"): with a trailing slash they are redirected to the clean URL
     */
    public Edge(Predicate<Request> ownApiPath, Predicate<String> pageUrl) {
        this.ownApiPath = ownApiPath;
        this.pageUrl = pageUrl;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String raw = request.getHttpURI().getPath();
        String path = raw == null ? "/" : collapseLeadingSlashes(raw);
        if (!path.equals(raw) && raw != null) {
            request = withPath(request, path);
        }
        boolean api = path.startsWith("/api/");
        boolean own = api && ownApiPath.test(request);
        RequestInfo info = RequestInfo.start(request, routeClass(path, api, own));
        info.stamp(response.getHeaders());

        String method = request.getMethod();
        boolean read = HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method);
        if ((api && !own) ? !FORWARDED.contains(method) : !read) {
            response.getHeaders().put(HttpHeader.ALLOW, api && !own ? ALLOW_FORWARDED : ALLOW_READ);
            if (!FORWARDED.contains(method)) {
                response.getHeaders().put(HttpHeader.CONNECTION, "close"); // a refused CONNECT leaves no tunnel
            }
            String where = api && !own ? "" : " on " + path + "; use GET";
            Response.writeError(request, response, callback, 405, "Method " + method + " is not allowed" + where);
            return true;
        }
        if (request.getHeaders().contains("X-HTTP-Method-Override")) {
            // Javalin would route by it while the proxy forwards the real method: refused, not half-honoured
            Response.writeError(
                    request,
                    response,
                    callback,
                    400,
                    "X-HTTP-Method-Override is not supported; send the request with its real method");
            return true;
        }
        String clean = path.length() > 1 && path.endsWith("/") ? path.replaceAll("/+$", "") : null;
        if (!api && clean != null && pageUrl.test(clean.isEmpty() ? "/" : clean)) {
            String query = request.getHttpURI().getQuery();
            response.setStatus(301);
            response.getHeaders()
                    .put(HttpHeader.LOCATION, (clean.isEmpty() ? "/" : clean) + (query == null ? "" : "?" + query));
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
            response.write(true, BufferUtil.EMPTY_BUFFER, callback);
            return true;
        }
        return super.handle(request, response, callback);
    }

    private static String routeClass(String path, boolean api, boolean own) {
        if (api) {
            return own ? "ops" : "proxy";
        }
        return path.startsWith("/static/") || PageRoutes.ROOT_FILES.containsKey(path) ? "asset" : "page";
    }

    /**
     * "//login" is "/login": the course simulator sends such paths when a team's base URL ends in "/",
     * and the original Flask app answers them. Only the leading run is collapsed; "/api//x" stays a 400.
     */
    static String collapseLeadingSlashes(String path) {
        if (path.length() < 2 || path.charAt(1) != '/' || path.charAt(0) != '/') {
            return path;
        }
        int i = 1;
        while (i < path.length() && path.charAt(i) == '/') {
            i++;
        }
        return path.substring(i - 1);
    }

    private static Request withPath(Request request, String path) {
        HttpURI uri = HttpURI.build(request.getHttpURI()).path(path).asImmutable();
        return new Request.Wrapper(request) {
            @Override
            public HttpURI getHttpURI() {
                return uri;
            }
        };
    }
}
