package dev.whoknows.conformance.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One request the tool sends: method, target (path and query, relative to the base URL), headers, body.
 *
 * @param operation the contract's path this request exercises ({@code /login} for {@code //login}), or the
 *                  path itself when the contract has none
 * @param label     what the request tries, for messages ("missing field 'password'")
 */
public record Request(
        String method, Payload target, Map<String, String> headers, Payload body, String operation, String label) {

    public Request {
        headers = Map.copyOf(new LinkedHashMap<>(headers));
        method = method.toUpperCase(Locale.ROOT);
    }

    public static Builder get(String target) {
        return new Builder("GET", Payload.of(target));
    }

    public static Builder get(Payload target) {
        return new Builder("GET", target);
    }

    public static Builder post(String target) {
        return new Builder("POST", Payload.of(target));
    }

    /** The route for grouping answers: method and path without the query. */
    public String route() {
        String text = target.display();
        int q = text.indexOf('?');
        return method + " " + (q < 0 ? text : text.substring(0, q));
    }

    /** Method and target as the user reads it, long runs shortened. */
    public String describe() {
        return method + " " + target.display();
    }

    /** A curl command that sends the same request to {@code baseUrl}. */
    public String curl(String baseUrl) {
        StringBuilder out = new StringBuilder("curl -i -sS --path-as-is");
        if (!method.equals("GET") || !body.isEmpty()) {
            out.append(" -X ").append(method);
        }
        out.append(' ').append(Payload.of(baseUrl).append(target).shell());
        headers.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(h -> out.append(" -H ").append(Payload.quote(h.getKey() + ": " + h.getValue())));
        if (!body.isEmpty()) {
            out.append(" --data-binary ").append(body.shell());
        }
        return out.toString();
    }

    public static final class Builder {
        private final String method;
        private final Payload target;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Payload body = Payload.empty();
        private String operation;
        private String label = "";

        private Builder(String method, Payload target) {
            this.method = method;
            this.target = target;
            String text = target.text();
            int q = text.indexOf('?');
            this.operation = q < 0 ? text : text.substring(0, q);
        }

        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Builder json() {
            return header("Accept", "application/json");
        }

        public Builder html() {
            return header("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8");
        }

        public Builder form(Payload form) {
            header("Content-Type", "application/x-www-form-urlencoded");
            body = form;
            return this;
        }

        public Builder body(String contentType, Payload content) {
            header("Content-Type", contentType);
            body = content;
            return this;
        }

        public Builder operation(String path) {
            operation = path;
            return this;
        }

        public Builder label(String text) {
            label = text;
            return this;
        }

        public Request build() {
            return new Request(method, target, headers, body, operation, label);
        }
    }
}
