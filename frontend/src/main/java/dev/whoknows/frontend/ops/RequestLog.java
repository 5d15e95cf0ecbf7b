package dev.whoknows.frontend.ops;

import dev.whoknows.frontend.Responses;
import io.javalin.http.Context;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Request ids and the access log: one line per request with method, path (never the query, which can
 * carry search terms), status, time and request id. Headers, cookies and bodies are never logged.
 */
public final class RequestLog {

    public static final String HEADER = "X-Request-Id";
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final Metrics metrics;
    private final AccessLog access;

    public RequestLog(Metrics metrics, AccessLog access) {
        this.metrics = metrics;
        this.access = access;
    }

    /** Before every request: keep a sane incoming X-Request-Id, otherwise make one. */
    public void assignId(Context ctx) {
        String id = idFor(ctx.header(HEADER));
        ctx.attribute(Responses.REQUEST_ID, id);
        ctx.header(HEADER, id);
        ctx.header("X-Content-Type-Options", "nosniff");
    }

    public void log(Context ctx, float ms) {
        String routeClass = ctx.attribute(Responses.ROUTE_CLASS);
        if (routeClass == null) {
            routeClass = ctx.path().startsWith("/api/") ? "api" : "page";
        }
        boolean aborted = Boolean.TRUE.equals(ctx.attribute("wk.aborted"));
        record(ctx.req().getMethod(), ctx.path(), ctx.res().getStatus(), aborted, Math.round(ms), routeClass,
                Responses.requestId(ctx));
    }

    /** Counts and logs one answered request; also used by handlers that run before Javalin. */
    public void record(String method, String path, int status, boolean aborted, long ms, String routeClass, String id) {
        metrics.request(routeClass, path, status, ms);
        if (access.enabled()) {
            access.info(method + " " + printable(path) + " " + status + (aborted ? " aborted " : " ") + ms
                    + "ms rid=" + id);
        }
    }

    /** A sane incoming X-Request-Id is kept, otherwise a new one is made. */
    public static String idFor(String incoming) {
        return incoming != null && VALID_ID.matcher(incoming).matches() ? incoming : newId();
    }

    /**
     * A random version-4 UUID. Ids only correlate log lines, so ThreadLocalRandom is enough; UUID.randomUUID()
     * takes SecureRandom's lock on every request, which profiling showed as the second-hottest monitor.
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xf000L) | 0x4000L;
        long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** The path with anything but visible ASCII shown as '?', cut at 300 characters. */
    static String printable(String path) {
        int length = Math.min(path.length(), 300);
        StringBuilder shown = null;
        for (int i = 0; i < length; i++) {
            char c = path.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                if (shown == null) {
                    shown = new StringBuilder(length + 3).append(path, 0, i);
                }
                shown.append('?');
            } else if (shown != null) {
                shown.append(c);
            }
        }
        String result = shown != null ? shown.toString() : path.substring(0, length);
        return path.length() > 300 ? result + "..." : result;
    }
}
