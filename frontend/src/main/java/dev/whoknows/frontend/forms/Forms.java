package dev.whoknows.frontend.forms;

import dev.whoknows.frontend.Json;
import dev.whoknows.frontend.pages.Flash;
import dev.whoknows.frontend.proxy.BackendFailure;
import dev.whoknows.frontend.proxy.Exchange;
import dev.whoknows.frontend.proxy.Proxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.Response;
import okio.BufferedSource;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.QuotedQualityCSV;
import org.eclipse.jetty.server.Request;

/**
 * Login, register and logout for browsers without JavaScript: when Accept prefers text/html the
 * backend's JSON answer becomes a 303 to the right page with the message as a flash. Every other
 * client gets the backend's answer untouched (plain proxy).
 */
public final class Forms {

    static final String UNAVAILABLE = "The WhoKnows backend is unavailable. Please try again in a moment.";
    private static final long MAX_ANSWER_BYTES = 64 * 1024;

    /** One form endpoint: where to go on success and on failure. */
    record Form(String method, String path, String success, String failure, String fallbackMessage) {}

    static final Form[] FORMS = {
        new Form("POST", "/api/login", "/", "/login", "You were logged in"),
        new Form("POST", "/api/register", "/login", "/register", "You were successfully registered and can login now"),
        new Form("GET", "/api/logout", "/", "/", "You were logged out"),
    };

    private Forms() {}

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
            Object body = readJson(response);
            boolean ok = response.isSuccessful();
            String message = ok ? text(body, "message") : failureMessage(response.code(), body);
            for (String cookie : response.headers("Set-Cookie")) {
                exchange.response().getHeaders().add(HttpHeader.SET_COOKIE, cookie);
            }
            redirect(
                    exchange,
                    ok ? form.success() : form.failure(),
                    ok ? Flash.info(message == null ? form.fallbackMessage() : message) : Flash.error(message));
            return response.code() / 100 + "xx";
        }

        @Override
        public void onFailure(Exchange exchange, BackendFailure failure) {
            redirect(exchange, form.failure(), Flash.error(UNAVAILABLE));
        }
    }

    static String failureMessage(int status, Object body) {
        String message = text(body, "message");
        if (message != null && !message.isBlank()) {
            return message;
        }
        Object detail = field(body, "detail");
        String missing = detail instanceof List<?> details ? missingFields(details) : null;
        if (missing != null) {
            return missing;
        }
        if (detail instanceof List<?> details && !details.isEmpty()) {
            Object first = details.get(0);
            String msg = text(first, "msg");
            String where = field(first, "loc") instanceof List<?> loc && !loc.isEmpty()
                    ? scalar(loc.get(loc.size() - 1))
                    : null;
            if (msg != null) {
                return where == null || where.equals("body") ? msg : where + ": " + msg;
            }
        }
        if (detail instanceof String text) {
            return text;
        }
        return "The request failed (HTTP " + status + "). Please try again.";
    }

    /** Form fields in words, for "Please fill in ..." (a person reads it, not a program). */
    private static final Map<String, String> FIELD_WORDS = Map.of(
            "username", "the username",
            "email", "the e-mail address",
            "password", "the password",
            "password2", "the repeated password");

    /**
     * A 422 whose details are all "missing" fields: every one named in words, in the form's order
     * ("Please fill in the username, the e-mail address and the password"); otherwise null.
     */
    static String missingFields(List<?> details) {
        List<String> words = new java.util.ArrayList<>();
        for (Object item : details) {
            String name = field(item, "loc") instanceof List<?> loc && !loc.isEmpty()
                    ? scalar(loc.get(loc.size() - 1))
                    : null;
            if (!"missing".equals(text(item, "type")) || name == null) {
                return null;
            }
            words.add(FIELD_WORDS.getOrDefault(name, "the field " + name));
        }
        if (words.isEmpty()) {
            return null;
        }
        String list = words.size() == 1
                ? words.get(0)
                : String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.get(words.size() - 1);
        return "Please fill in " + list;
    }

    private static void redirect(Exchange exchange, String location, Flash flash) {
        var headers = exchange.response().getHeaders();
        headers.add(HttpHeader.SET_COOKIE, flash.setCookieHeader());
        headers.put(HttpHeader.LOCATION, location);
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        exchange.send(303, "text/plain; charset=utf-8", ("See " + location + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The backend's answer as parsed JSON, or null when it is not JSON, too large or cut short. */
    private static Object readJson(Response response) {
        try {
            BufferedSource source = response.body().source();
            source.request(MAX_ANSWER_BYTES + 1);
            if (source.getBuffer().size() > MAX_ANSWER_BYTES) {
                return null;
            }
            return Json.parse(source.getBuffer().readUtf8());
        } catch (IOException | IllegalArgumentException ex) {
            return null; // the status alone decides
        }
    }

    private static Object field(Object node, String name) {
        return node instanceof Map<?, ?> object ? object.get(name) : null;
    }

    private static String text(Object node, String name) {
        return field(node, name) instanceof String value ? value : null;
    }

    /** A string as it is, an integral number without ".0" (FastAPI's loc mixes names and indexes). */
    private static String scalar(Object value) {
        if (value instanceof Double number && number == Math.rint(number) && !number.isInfinite()) {
            return Long.toString(number.longValue());
        }
        return value == null ? null : value.toString();
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

    /** The q of the most specific media range that matches type/subtype (RFC 9110 12.5.1), by Jetty's parser. */
    static double quality(String accept, String type, String subtype) {
        QuotedQualityCSV ranges = new QuotedQualityCSV();
        ranges.addValue(accept);
        double q = 0;
        int specificity = -1;
        for (QuotedQualityCSV.QualityValue range : ranges.getQualityValues()) {
            String media = range.getValue();
            int semicolon = media.indexOf(';');
            media = (semicolon < 0 ? media : media.substring(0, semicolon))
                    .strip()
                    .toLowerCase(Locale.ROOT);
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
                q = range.getWeight() > 1 ? 0 : range.getWeight(); // q above 1 is malformed (RFC 9110 12.4.2)
            }
        }
        return q;
    }
}
