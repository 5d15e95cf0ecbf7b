package dev.whoknows.frontend.forms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.whoknows.frontend.Responses;
import dev.whoknows.frontend.pages.Flash;
import dev.whoknows.frontend.proxy.BackendFailure;
import dev.whoknows.frontend.proxy.Proxy;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import okhttp3.Response;
import okio.BufferedSource;

import java.io.IOException;
import java.util.Locale;

/**
 * Login, register and logout for browsers without JavaScript: when Accept prefers text/html the
 * backend's JSON answer becomes a 303 to the right page with the message as a flash. Every other
 * client gets the backend's answer untouched (plain proxy).
 */
public final class FormRoutes {

    static final String UNAVAILABLE = "The WhoKnows backend is unavailable. Please try again in a moment.";
    private static final long MAX_ANSWER_BYTES = 64 * 1024;

    /** One form endpoint: where to go on success and on failure. */
    record Form(HandlerType method, String path, String success, String failure, String fallbackMessage) {
    }

    static final Form[] FORMS = {
        new Form(HandlerType.POST, "/api/login", "/", "/login", "You were logged in"),
        new Form(HandlerType.POST, "/api/register", "/login", "/register",
                "You were successfully registered and can login now"),
        new Form(HandlerType.GET, "/api/logout", "/", "/", "You were logged out"),
    };

    private final Proxy proxy;

    public FormRoutes(Proxy proxy) {
        this.proxy = proxy;
    }

    public void register(JavalinDefaultRoutingApi routes) {
        for (Form form : FORMS) {
            routes.addHttpHandler(form.method(), form.path(), ctx -> {
                if (prefersHtml(ctx.header("Accept"))) {
                    Responses.routeClass(ctx, "api");
                    proxy.forward(ctx, new Redirect(form));
                } else {
                    proxy.handle(ctx);
                }
            });
        }
    }

    /** Turns the backend's AuthResponse (or HTTPValidationError) into 303 + flash cookie. */
    private static final class Redirect implements Proxy.Answer {
        private final Form form;

        Redirect(Form form) {
            this.form = form;
        }

        @Override
        public String onResponse(Context ctx, Response response) throws IOException {
            JsonNode body = readJson(response);
            boolean ok = response.isSuccessful();
            String message = ok ? text(body, "message") : failureMessage(response.code(), body);
            for (String cookie : response.headers("Set-Cookie")) {
                ctx.res().addHeader("Set-Cookie", cookie);
            }
            redirect(ctx, ok ? form.success() : form.failure(),
                    ok ? Flash.info(message == null ? form.fallbackMessage() : message) : Flash.error(message));
            return response.code() / 100 + "xx";
        }

        @Override
        public void onFailure(Context ctx, BackendFailure failure) {
            redirect(ctx, form.failure(), Flash.error(UNAVAILABLE));
        }
    }

    static String failureMessage(int status, JsonNode body) {
        String message = text(body, "message");
        if (message != null && !message.isBlank()) {
            return message;
        }
        JsonNode detail = body == null ? null : body.get("detail");
        if (detail != null && detail.isArray() && detail.size() > 0) {
            JsonNode first = detail.get(0);
            String msg = text(first, "msg");
            JsonNode loc = first.get("loc");
            String field = loc != null && loc.isArray() && loc.size() > 0 ? loc.get(loc.size() - 1).asText() : null;
            if (msg != null) {
                return field == null || field.equals("body") ? msg : field + ": " + msg;
            }
        }
        if (detail != null && detail.isTextual()) {
            return detail.asText();
        }
        return "The request failed (HTTP " + status + "). Please try again.";
    }

    private static void redirect(Context ctx, String location, Flash flash) {
        ctx.res().addHeader("Set-Cookie", flash.setCookieHeader());
        ctx.header("Location", location);
        ctx.header("Cache-Control", "no-store");
        Responses.text(ctx, 303, "text/plain; charset=utf-8", "See " + location + "\n");
    }

    private static JsonNode readJson(Response response) {
        try {
            BufferedSource source = response.body().source();
            source.request(MAX_ANSWER_BYTES + 1);
            if (source.getBuffer().size() > MAX_ANSWER_BYTES) {
                return null;
            }
            return Responses.JSON.readTree(source.getBuffer().readByteArray());
        } catch (IOException ex) {
            return null; // not JSON (or cut short): the status alone decides
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** True when text/html has a higher quality than application/json in the Accept header. */
    public static boolean prefersHtml(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        double html = quality(accept, "text", "html");
        double json = quality(accept, "application", "json");
        return html > 0 && html > json;
    }

    /** The q of the most specific media range that matches type/subtype (RFC 9110 12.5.1). */
    static double quality(String accept, String type, String subtype) {
        double q = 0;
        int specificity = -1;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String media = parts[0].strip().toLowerCase(Locale.ROOT);
            int slash = media.indexOf('/');
            if (slash < 0) {
                continue;
            }
            String t = media.substring(0, slash);
            String s = media.substring(slash + 1);
            int level;
            if (t.equals(type) && s.equals(subtype)) {
                level = 2;
            } else if (t.equals(type) && s.equals("*")) {
                level = 1;
            } else if (t.equals("*") && s.equals("*")) {
                level = 0;
            } else {
                continue;
            }
            if (level > specificity) {
                specificity = level;
                q = Responses.qValue(parts);
            }
        }
        return q;
    }

}
