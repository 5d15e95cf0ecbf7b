package dev.whoknows.conformance.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A request and what came back: a status, headers and body, or the reason there was no answer.
 *
 * @param status  the answer's status, or 0 when there was none
 * @param headers header names in lower case
 * @param error   why there is no answer (null when there is one)
 */
// Error Prone ArrayRecordComponent: an Exchange is a one-off result, never compared or hashed; its body is
// read as it came off the wire.
@SuppressWarnings("ArrayRecordComponent")
public record Exchange(
        Request request,
        String requestId,
        int status,
        Map<String, List<String>> headers,
        byte[] body,
        boolean bodyTruncated,
        Duration elapsed,
        String error) {
    /** How much of a body the failure reports show. */
    public static final int BODY_PREVIEW = 300;

    public boolean answered() {
        return error == null;
    }

    public Optional<String> header(String name) {
        List<String> values = headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The answer as a failure report shows it: status, headers, the first bytes of the body. */
    public String describeAnswer() {
        if (!answered()) {
            return "< no answer: " + error + " (after " + millis() + ")";
        }
        StringBuilder out = new StringBuilder("< HTTP ")
                .append(status)
                .append(" (")
                .append(millis())
                .append(")\n");
        new TreeMap<>(headers)
                .forEach((name, values) -> values.forEach(v -> out.append("< ")
                        .append(name)
                        .append(": ")
                        .append(printable(v, 200))
                        .append('\n')));
        out.append("< ");
        if (body.length == 0) {
            out.append("(empty body)");
        } else {
            String text = bodyText();
            out.append(printable(text, BODY_PREVIEW));
            if (text.length() > BODY_PREVIEW || bodyTruncated) {
                out.append(" … (")
                        .append(body.length)
                        .append(bodyTruncated ? "+" : "")
                        .append(" bytes)");
            }
        }
        return out.toString();
    }

    public String millis() {
        return formatMillis(elapsed);
    }

    public static String formatMillis(Duration d) {
        long ms = d.toMillis();
        return ms < 1_000 ? ms + " ms" : String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
    }

    /** Control characters escaped, cut at {@code max} characters. */
    public static String printable(String text, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || c == 0x7f || (c >= 0xD800 && c <= 0xDFFF)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
