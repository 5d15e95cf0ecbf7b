package dev.whoknows.frontend.edge;

import io.javalin.http.Context;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;

/**
 * What the edge knows about one request: its id, the route class it is counted under and whether its
 * answer was cut. Kept as a request attribute, so every layer (Jetty handlers, the error handler,
 * Javalin routes and the request log) reads the same one.
 */
public final class RequestInfo {

    public static final String HEADER = "X-Request-Id";
    static final String ATTRIBUTE = RequestInfo.class.getName();
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final String id;
    /** Outside /api/: the page headers apply (decided by the first route class, before handlers refine it). */
    private final boolean page;

    private final AtomicBoolean aborted = new AtomicBoolean();
    private volatile String routeClass;

    private RequestInfo(String id, String routeClass) {
        this(id, routeClass, !Set.of("proxy", "ops", "api").contains(routeClass));
    }

    private RequestInfo(String id, String routeClass, boolean page) {
        this.id = id;
        this.page = page;
        this.routeClass = routeClass;
    }

    /** Made by the edge, first thing for every request it sees. */
    static RequestInfo start(Request request, String routeClass) {
        RequestInfo info = new RequestInfo(idFor(request.getHeaders().get(HEADER)), routeClass);
        request.setAttribute(ATTRIBUTE, info);
        return info;
    }

    /**
     * The request's info. Requests Jetty refuses before any handler (bad URI, duplicate Host) get theirs
     * here, from the error handler or the request log.
     */
    public static RequestInfo of(Request request) {
        if (request.getAttribute(ATTRIBUTE) instanceof RequestInfo info) {
            return info;
        }
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        // a target Jetty could not read counts as an API request: JSON answer, no page headers
        boolean api = path == null
                || !path.startsWith("/")
                || Edge.collapseLeadingSlashes(path).startsWith("/api/");
        return start(request, api ? "api" : "page");
    }

    /** The same, from a Javalin route (the edge has run before). */
    public static RequestInfo of(Context ctx) {
        if (ctx.attribute(ATTRIBUTE) instanceof RequestInfo info) {
            return info;
        }
        throw new IllegalStateException("request " + ctx.path() + " did not pass the edge");
    }

    /** The headers every answer carries: the request id, nosniff and, outside /api/, the page headers. */
    public void stamp(HttpFields.Mutable headers) {
        headers.put(HEADER, id);
        if (page) {
            PAGE_HEADERS.forEach(headers::put);
        } else {
            headers.put(NOSNIFF);
        }
    }

    /** The same after a servlet reset (Javalin's exception handler). */
    public void stamp(Context ctx) {
        ctx.header(HEADER, id);
        if (page) {
            PAGE_HEADERS.forEach(field -> ctx.header(field.getName(), field.getValue()));
        } else {
            ctx.header(NOSNIFF.getName(), NOSNIFF.getValue());
        }
    }

    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
    private static final HttpField NOSNIFF = new PreEncodedHttpField("X-Content-Type-Options", "nosniff");
    /** Sent with every answer outside /api/: pages, assets, redirects, the 404 page and Jetty's own errors. */
    private static final List<HttpField> PAGE_HEADERS = List.of(
            new PreEncodedHttpField("Content-Security-Policy", CSP),
            new PreEncodedHttpField("X-Frame-Options", "DENY"),
            new PreEncodedHttpField("Referrer-Policy", "strict-origin-when-cross-origin"),
            NOSNIFF);

    public String id() {
        return id;
    }

    public String routeClass() {
        return routeClass;
    }

    /** The label the request is counted under: page, asset, ops, proxy, or api (answers of our own). */
    public void routeClass(String routeClass) {
        this.routeClass = routeClass;
    }

    public boolean aborted() {
        return aborted.get();
    }

    /** The answer was cut (a truncated body must never look complete); the log line says so. */
    public void markAborted() {
        aborted.set(true);
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
}
