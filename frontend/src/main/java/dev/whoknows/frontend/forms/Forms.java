package dev.whoknows.frontend.forms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.whoknows.frontend.Responses;
import dev.whoknows.frontend.pages.Flash;
import dev.whoknows.frontend.proxy.BackendFailure;
import dev.whoknows.frontend.proxy.Exchange;
import dev.whoknows.frontend.proxy.Proxy;
import okhttp3.Response;
import okio.BufferedSource;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Login, register and logout for browsers without JavaScript: when Accept prefers text/html the
 * backend's JSON answer becomes a 303 to the right page with the message as a flash. Every other
 * client gets the backend's answer untouched (plain proxy).
 */
public final class Forms {

    static final String UNAVAILABLE = "The WhoKnows backend is unavailable. Please try again in a moment.";
    private static final long MAX_ANSWER_BYTES = 64 * 1024;

    /** One form endpoint: where to go on success and on failure. */
    record Form(String method, String path, String success, String failure, String fallbackMessage) {
    }

    static final Form[] FORMS = {
        new Form("POST", "/api/login", "/", "/login", "You were logged in"),
        new Form("POST", "/api/register", "/login", "/register",
                "You were successfully registered and can login now"),
        new Form("GET", "/api/logout", "/", "/", "You were logged out"),
    };

    private Forms() {
    }

    /** The redirecting answer for a form request from a browser that prefers HTML, else null (plain proxy). */
    public static Proxy.Answer answerFor(Request request) {
        String path = Request.getPathInContext(request);
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        for (Form form : FORMS) {
            if (form.method().equals(request.getMethod()) && form.path().equals(path)) {
                return prefersHtml(request.getHeaders().get(HttpHeader.ACCEPT)) ? new Redirect(form) : null;
            }
        }
        return null;
    }

    /** Turns the backend's AuthResponse (or HTTPValidationError) into 303 + flash cookie. */
    private static final class Redirect implements Proxy.Answer {
        private final Form form;

        Redirect(Form form) {
            this.form = form;
        }

        @Override
        public String onResponse(Exchange exchange, Response response) throws IOException {
            JsonNode body = readJson(response);
            boolean ok = response.isSuccessful();
            String message = ok ? text(body, "message") : failureMessage(response.code(), body);
            for (String cookie : response.headers("Set-Cookie")) {
                exchange.response().getHeaders().add(HttpHeader.SET_COOKIE, cookie);
            }
            redirect(exchange, ok ? form.success() : form.failure(),
                    ok ? Flash.info(message == null ? form.fallbackMessage() : message) : Flash.error(message));
            return response.code() / 100 + "xx";
        }

        @Override
        public void onFailure(Exchange exchange, BackendFailure failure) {
            redirect(exchange, form.failure(), Flash.error(UNAVAILABLE));
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

    private static void redirect(Exchange exchange, String location, Flash flash) {
        var headers = exchange.response().getHeaders();
        headers.add(HttpHeader.SET_COOKIE, flash.setCookieHeader());
        headers.put(HttpHeader.LOCATION, location);
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        exchange.send(303, "text/plain; charset=utf-8", ("See " + location + "\n").getBytes(StandardCharsets.UTF_8));
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
