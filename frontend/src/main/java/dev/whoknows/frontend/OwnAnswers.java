package dev.whoknows.frontend;

import dev.whoknows.frontend.edge.ErrorAnswers;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Complete answers the frontend writes itself on its Javalin routes (pages, ops, the 500 of a bug). */
public final class OwnAnswers {

    private OwnAnswers() {}

    /** The course's error shape: {"statusCode":N,"message":"..."}. */
    public static void error(Context ctx, int status, String message) {
        bytes(ctx, status, "application/json", ErrorAnswers.body(status, message));
    }

    /** A flat JSON object (see {@link Json#object}). */
    public static void json(Context ctx, int status, Map<String, ?> body) {
        bytes(ctx, status, "application/json", Json.object(body).getBytes(StandardCharsets.UTF_8));
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

    private static boolean isHead(Context ctx) {
        return "HEAD".equalsIgnoreCase(ctx.req().getMethod());
    }
}
