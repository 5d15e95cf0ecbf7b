package dev.whoknows.conformance.checks;

import dev.whoknows.conformance.checks.CheckResult.Outcome;
import dev.whoknows.conformance.contract.Contract;
import dev.whoknows.conformance.http.BoundedClient;
import dev.whoknows.conformance.http.Exchange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** Every check, in the order they run, and the loop that runs a selection of them. */
public final class Checks {
    private final List<Check> all;

    public Checks(Contract contract) {
        List<Check> checks = new ArrayList<>();
        checks.addAll(ReadChecks.all(contract));
        checks.addAll(SessionChecks.all(contract));
        checks.addAll(NegativeChecks.all(contract));
        checks.addAll(PageChecks.all(contract));
        checks.addAll(AnswerChecks.all());
        all = List.copyOf(checks);
    }

    public List<Check> all() {
        return all;
    }

    public List<String> names() {
        return all.stream().map(Check::name).toList();
    }

    public Optional<Check> byName(String name) {
        return all.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * The checks to run, in run order: {@code only} (all when empty) plus the checks they require; checks
     * that run only with --frontend are kept (they are reported as skipped without it).
     */
    public List<Check> selection(Set<String> only) {
        if (only.isEmpty()) {
            return all;
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String name : only) {
            addWithRequirements(name, wanted);
        }
        return all.stream().filter(c -> wanted.contains(c.name())).toList();
    }

    private void addWithRequirements(String name, Set<String> wanted) {
        Check check = byName(name).orElseThrow(() -> new IllegalArgumentException("unknown check " + name));
        for (String required : check.requires()) {
            addWithRequirements(required, wanted);
        }
        wanted.add(name);
    }

    /** The most requests a selection sends. */
    public static int plannedRequests(List<Check> selection, boolean frontend) {
        return selection.stream()
                .filter(c -> frontend || !c.frontendOnly())
                .mapToInt(Check::plannedRequests)
                .sum();
    }

    /**
     * Runs the selection in order. A check whose requirement failed or was skipped is skipped; when the
     * time limit is reached the check running and all later ones fail with that reason.
     *
     * @param done called with each result as soon as it is known
     */
    public static List<CheckResult> run(
            List<Check> selection, boolean frontend, Run run, BoundedClient client, Consumer<CheckResult> done) {
        List<CheckResult> results = new ArrayList<>();
        String timeLimit = null;
        List<Exchange> own = new ArrayList<>();
        for (Check check : selection) {
            CheckResult result;
            long start = System.nanoTime();
            Optional<CheckResult> blocker = check.requires().stream()
                    .flatMap(r -> results.stream().filter(x -> x.name().equals(r) && x.outcome() != Outcome.PASS))
                    .findFirst();
            if (timeLimit != null) {
                result = new CheckResult(
                        check.name(),
                        check.description(),
                        Outcome.FAIL,
                        List.of(new Finding(check.name(), "not run: " + timeLimit, null)),
                        List.of(),
                        null,
                        0,
                        Duration.ZERO);
            } else if (check.frontendOnly() && !frontend) {
                result = skipped(check, "runs only with --frontend (the pages are the frontend's)");
            } else if (blocker.isPresent()) {
                result = skipped(
                        check,
                        "needs " + blocker.get().name() + ", which "
                                + (blocker.get().outcome() == Outcome.FAIL ? "failed" : "was skipped"));
            } else if (check.judgesOtherAnswers() && own.isEmpty()) {
                result = skipped(check, "no answers to judge: run it with checks that send requests");
            } else {
                run.begin(check.name());
                if (check.judgesOtherAnswers()) {
                    run.judge(own);
                }
                List<Exchange> before = client.exchanges();
                try {
                    check.run(run);
                } catch (BoundedClient.TimeLimitReached e) {
                    timeLimit = e.getMessage();
                    run.fail("stopped: " + e.getMessage(), null);
                }
                List<Exchange> after = client.exchanges();
                own.addAll(after.subList(before.size(), after.size()));
                List<Finding> findings = run.findingsOfCurrent();
                result = new CheckResult(
                        check.name(),
                        check.description(),
                        findings.isEmpty() ? Outcome.PASS : Outcome.FAIL,
                        findings,
                        run.notesOfCurrent(),
                        null,
                        run.requestsOfCurrent(),
                        Duration.ofNanos(System.nanoTime() - start));
            }
            results.add(result);
            done.accept(result);
        }
        return results;
    }

    private static CheckResult skipped(Check check, String reason) {
        return new CheckResult(
                check.name(), check.description(), Outcome.SKIP, List.of(), List.of(), reason, 0, Duration.ZERO);
    }

    public static String list(List<Check> checks) {
        return checks.stream().map(Check::name).collect(Collectors.joining(", "));
    }
}
