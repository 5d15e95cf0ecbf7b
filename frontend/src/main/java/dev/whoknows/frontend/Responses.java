package dev.whoknows.frontend;

import dev.whoknows.frontend.edge.ErrorAnswers;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Small helpers for answers the frontend writes itself. */
public final class Responses {

    private Responses() {
    }

    /** The course's error shape: {"statusCode":N,"message":"..."}. */
    public static void error(Context ctx, int status, String message) {
        bytes(ctx, status, "application/json", ErrorAnswers.body(status, message));
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
