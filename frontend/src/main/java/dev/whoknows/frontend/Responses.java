package dev.whoknows.frontend;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers for answers the frontend writes itself. */
public final class Responses {

    public static final String ROUTE_CLASS = "wk.routeClass";
    public static final String REQUEST_ID = "wk.requestId";

    private Responses() {
    }

    /** The course's error shape: {"statusCode":N,"message":"..."}. */
    public static void error(Context ctx, int status, String message) {
        bytes(ctx, status, "application/json", errorBody(status, message));
    }

    public static byte[] errorBody(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", status);
        body.put("message", message);
        return Json.object(body).getBytes(StandardCharsets.UTF_8);
    }

    /** A flat JSON object (see {@link Json#object}). */
    public static void json(Context ctx, int status, Map<String, ?> body) {
        bytes(ctx, status, "application/json", Json.object(body).getBytes(StandardCharsets.UTF_8));
    }

    public static void text(Context ctx, int status, String contentType, String body) {
        bytes(ctx, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a complete body (or only its length for HEAD). */
    public static void bytes(Context ctx, int status, String contentType, byte[] body) {
        ctx.status(status);
        ctx.res().setContentType(contentType);
        ctx.res().setContentLength(body.length);
        if (isHead(ctx)) {
            return;
        }
        try {
            ctx.res().getOutputStream().write(body);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static boolean isHead(Context ctx) {
        return "HEAD".equalsIgnoreCase(ctx.req().getMethod());
    }

    public static void routeClass(Context ctx, String routeClass) {
        ctx.attribute(ROUTE_CLASS, routeClass);
    }

    public static String requestId(Context ctx) {
        String id = ctx.attribute(REQUEST_ID);
        return id == null ? "-" : id;
    }

    /** Every HTTP method a route can answer; TRACE and CONNECT are refused separately. */
    public static final HandlerType[] METHODS = {
        HandlerType.GET, HandlerType.HEAD, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH,
        HandlerType.DELETE, HandlerType.OPTIONS, HandlerType.QUERY
    };

    /**
     * The q parameter of one element of an Accept or Accept-Encoding header, split at ';' (element
     * first): 1 when absent, 0 when malformed or outside 0..1 (RFC 9110 12.4.2).
     */
    public static double qValue(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String p = parameters[i].strip();
            if (p.regionMatches(true, 0, "q=", 0, 2)) {
                try {
                    double q = Double.parseDouble(p.substring(2).strip());
                    return q < 0 || q > 1 ? 0 : q;
                } catch (NumberFormatException ex) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
