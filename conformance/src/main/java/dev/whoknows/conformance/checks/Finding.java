package dev.whoknows.conformance.checks;

import dev.whoknows.conformance.http.Exchange;

/**
 * One way the server breaks the contract, with the request that shows it. The same problem on the same
 * operation and status is one finding however many requests show it ({@link #occurrences()}).
 *
 * @param exchange the first request that showed it; null for a finding about no request in particular
 */
public record Finding(String check, String problem, Exchange exchange, int occurrences) {

    /** Identical findings (same route, status, problem) are counted once across the whole run. */
    public String key() {
        return exchange == null ? check + "|" + problem
                : exchange.request().route() + "|" + exchange.status() + "|" + problem;
    }

    public Finding seenAgain() {
        return new Finding(check, problem, exchange, occurrences + 1);
    }

    /** One line: what was sent and what is wrong. */
    public String headline() {
        if (exchange == null) {
            return problem;
        }
        String label = exchange.request().label().isEmpty() ? "" : " [" + exchange.request().label() + "]";
        String answer = exchange.answered() ? " -> " + exchange.status() : "";
        String more = occurrences > 1 ? " (" + occurrences + " requests show this)" : "";
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
