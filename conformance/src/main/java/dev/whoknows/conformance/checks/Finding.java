package dev.whoknows.conformance.checks;

import dev.whoknows.conformance.http.Exchange;
import java.util.ArrayList;
import java.util.List;

/**
 * One way the server breaks the contract, with the request that shows it. The same problem on the same
 * operation and status is one finding however many requests show it ({@link #occurrences()}).
 *
 * @param exchange the first request that showed it; null for a finding about no request in particular
 */
public record Finding(String check, String problem, Exchange exchange, int occurrences, List<String> labels) {
    private static final int MAX_LABELS = 8;

    public Finding(String check, String problem, Exchange exchange) {
        this(
                check,
                problem,
                exchange,
                1,
                exchange == null || exchange.request().label().isEmpty()
                        ? List.of()
                        : List.of(exchange.request().label()));
    }

    /** Identical findings (same route, status, problem) are counted once across the whole run. */
    public String key() {
        return exchange == null ? "|" + problem : exchange.request().route() + "|" + exchange.status() + "|" + problem;
    }

    /** The same problem shown by one more request (its label is listed too). */
    public Finding seenAgain(Exchange another) {
        List<String> more = new ArrayList<>(labels);
        String label = another == null ? "" : another.request().label();
        if (!label.isEmpty() && !more.contains(label) && more.size() < MAX_LABELS) {
            more.add(label);
        }
        return new Finding(check, problem, exchange, occurrences + 1, List.copyOf(more));
    }

    /** One line: what was sent and what is wrong. */
    public String headline() {
        if (exchange == null) {
            return problem;
        }
        String label = labels.isEmpty() ? "" : " [" + String.join("; ", labels) + "]";
        String answer = exchange.answered() ? " -> " + exchange.status() : "";
        String more = occurrences > 1 ? " (" + occurrences + " requests show this; the first:)" : "";
        return exchange.request().describe() + label + answer + ": " + problem + more;
    }

    /** The headline, the request as a curl command, and the answer. */
    public String details(String baseUrl) {
        if (exchange == null) {
            return headline();
        }
        return headline() + "\n  reproduce: " + exchange.request().curl(baseUrl) + "\n  "
                + exchange.describeAnswer().replace("\n", "\n  ");
    }
}
