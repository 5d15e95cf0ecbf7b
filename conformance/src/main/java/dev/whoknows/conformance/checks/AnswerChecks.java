package dev.whoknows.conformance.checks;

import dev.whoknows.conformance.contract.Contract;
import dev.whoknows.conformance.http.Exchange;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Checks that judge every answer the other checks got: the Content-Type, and the latency budgets. */
public final class AnswerChecks {
    private AnswerChecks() {}

    /**
     * The course simulator's time budgets: pages, register and login 10 s; search, weather and logout 6 s.
     * Other routes have none.
     */
    public static Optional<Duration> budget(String operation, double scale) {
        Duration base = switch (operation) {
            case "/", "/search", "/weather", "/register", "/login", "/api/register", "/api/login" ->
                Duration.ofSeconds(10);
            case "/api/search", "/api/weather", "/api/logout" -> Duration.ofSeconds(6);
            default -> null;
        };
        return Optional.ofNullable(base).map(d -> Duration.ofNanos((long) (d.toNanos() * scale)));
    }

    /** Sends nothing: judges the answers the other checks of the run got. */
    abstract static class JudgingCheck extends Check {
        JudgingCheck(String name, String description) {
            super(name, description);
        }

        @Override
        public final boolean judgesOtherAnswers() {
            return true;
        }

        @Override
        public final int plannedRequests() {
            return 0;
        }
    }

    static final class ContentType extends JudgingCheck {
        ContentType() {
            super(
                    "content-type",
                    "every answer whose status the contract documents carries the documented"
                            + " Content-Type (application/json, text/html for pages)");
        }

        @Override
        public void run(Run run) {
            Contract contract = run.contract();
            for (Exchange answer : run.answersToJudge()) {
                if (!answer.answered()) {
                    continue;
                }
                String method = answer.request().method();
                Optional<Contract.Operation> op =
                        contract.operation(method, answer.request().operation());
                Optional<String> expected = op.flatMap(o -> contract.mediaType(o, answer.status()));
                if (expected.isEmpty()) {
                    continue;
                }
                Optional<String> header = answer.header("Content-Type");
                String got = header.map(h -> h.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                        .orElse("");
                if (!got.equals(expected.get())) {
                    run.fail(
                            "Content-Type is " + header.map(h -> "'" + h + "'").orElse("missing")
                                    + ", the contract documents " + expected.get() + " for status " + answer.status(),
                            answer);
                }
            }
        }
    }

    static final class Latency extends JudgingCheck {
        Latency() {
            super(
                    "latency",
                    "the slowest answer per route is within the course simulator's budget (pages,"
                            + " /api/register, /api/login 10 s; /api/search, /api/weather, /api/logout 6 s; × --budget-scale)");
        }

        @Override
        public void run(Run run) {
            for (Exchange slowest : slowestPerRoute(run.answersToJudge()).values()) {
                Optional<Duration> budget = budget(slowest.request().operation(), run.budgetScale());
                if (budget.isPresent() && slowest.elapsed().compareTo(budget.get()) > 0) {
                    run.fail(
                            "the slowest answer on " + slowest.request().route() + " took " + slowest.millis()
                                    + ", over the budget of " + Exchange.formatMillis(budget.get()),
                            slowest);
                }
            }
        }
    }

    /** The slowest exchange of each route, in the order routes were first seen. */
    public static Map<String, Exchange> slowestPerRoute(List<Exchange> exchanges) {
        Map<String, Exchange> slowest = new LinkedHashMap<>();
        for (Exchange e : exchanges) {
            slowest.merge(e.request().route(), e, (a, b) -> b.elapsed().compareTo(a.elapsed()) > 0 ? b : a);
        }
        return slowest;
    }

    static List<Check> all() {
        return List.of(new ContentType(), new Latency());
    }
}
