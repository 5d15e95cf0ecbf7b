package dev.whoknows.frontend;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

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
    public static final List<HandlerType> METHODS = List.of(
        HandlerType.GET, HandlerType.HEAD, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH,
        HandlerType.DELETE, HandlerType.OPTIONS, HandlerType.QUERY);

    private static final Set<String> METHOD_NAMES =
            METHODS.stream().map(HandlerType::name).collect(Collectors.toUnmodifiableSet());

    /** Why a request is refused for its method: status, message and headers to send with it. */
    public record Refusal(int status, String message, Map<String, String> headers) {
    }

    /**
     * TRACE, CONNECT and unknown methods get a 405 (with Connection: close, so a refused CONNECT leaves no
     * tunnel open). X-HTTP-Method-Override gets a 400: Javalin would route by it while the proxy forwards
     * the real method, so it is refused rather than half-honoured.
     *
     * @return null when the request may go on
     */
    public static Refusal refusal(String method, String methodOverride) {
        if (!METHOD_NAMES.contains(method)) {
            return new Refusal(405, "Method " + method + " is not allowed",
                    Map.of("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS", "Connection", "close"));
        }
        if (methodOverride != null) {
            return new Refusal(400, "X-HTTP-Method-Override is not supported; send the request with its real method",
                    Map.of());
        }
        return null;
    }

    /** The message of a 500 caused by a bug of ours; the request id finds the stack trace in the log. */
    public static String internalError(String requestId) {
        return "Internal error in the frontend (request id " + requestId + ")";
    }

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
