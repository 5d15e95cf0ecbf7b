package dev.whoknows.frontend.ops;

import dev.whoknows.frontend.Responses;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Request ids and the access log: one line per request with method, path (never the query, which can
 * carry search terms), status, time and request id. Headers, cookies and bodies are never logged.
 */
public final class RequestLog {

    public static final String HEADER = "X-Request-Id";
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Logger ACCESS = LoggerFactory.getLogger("dev.whoknows.frontend.access");

    private final Metrics metrics;

    public RequestLog(Metrics metrics) {
        this.metrics = metrics;
    }

    /** Before every request: keep a sane incoming X-Request-Id, otherwise make one. */
    public void assignId(Context ctx) {
        String incoming = ctx.header(HEADER);
        String id = incoming != null && VALID_ID.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
        ctx.attribute(Responses.REQUEST_ID, id);
        ctx.header(HEADER, id);
        ctx.header("X-Content-Type-Options", "nosniff");
    }

    public void log(Context ctx, float ms) {
        String routeClass = ctx.attribute(Responses.ROUTE_CLASS);
        if (routeClass == null) {
            routeClass = ctx.path().startsWith("/api/") ? "api" : "page";
        }
        int status = ctx.res().getStatus();
        metrics.request(routeClass, status);
        String aborted = Boolean.TRUE.equals(ctx.attribute("wk.aborted")) ? " aborted" : "";
        ACCESS.info("{} {} {}{} {}ms rid={}", ctx.req().getMethod(), printable(ctx.path()), status, aborted,
                Math.round(ms), Responses.requestId(ctx));
    }

    private static String printable(String path) {
        String shown = path.length() > 300 ? path.substring(0, 300) + "..." : path;
        return shown.replaceAll("[^\\x21-\\x7e]", "?");
    }
}
