package dev.whoknows.conformance.report;

import dev.whoknows.conformance.checks.AnswerChecks;
import dev.whoknows.conformance.checks.CheckResult;
import dev.whoknows.conformance.checks.CheckResult.Outcome;
import dev.whoknows.conformance.checks.Finding;
import dev.whoknows.conformance.http.Exchange;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the user reads on stdout: each check as it finishes, then the summary table. */
public final class ConsoleReport {
    private final PrintStream out;
    private final String baseUrl;

    public ConsoleReport(PrintStream out, String baseUrl) {
        this.out = out;
        this.baseUrl = baseUrl;
    }

    public void exchange(Exchange e) {
        out.println("  " + e.request().describe()
                + (e.request().label().isEmpty() ? "" : " [" + e.request().label() + "]") + " -> "
                + (e.answered() ? e.status() : e.error()) + " (" + e.millis() + ")");
    }

    public void result(CheckResult r) {
        String head = String.format(Locale.ROOT, "%-4s  %-14s", r.outcome(), r.name());
        switch (r.outcome()) {
            case PASS ->
                out.println(head + " " + plural(r.requests(), "request") + ", " + Exchange.formatMillis(r.time()));
            case SKIP -> out.println(head + " skipped: " + r.skipReason());
            case FAIL -> {
                out.println(
                        head + " " + plural(r.findings().size(), "finding") + " in " + plural(r.requests(), "request"));
                for (Finding f : r.findings()) {
                    out.println("      " + f.details(baseUrl).replace("\n", "\n      "));
                }
            }
        }
        for (String note : r.notes()) {
            out.println("      note: " + note);
        }
    }

    public void summary(List<CheckResult> results, List<Exchange> exchanges, double budgetScale, Duration total) {
        out.println();
        out.println(String.format(Locale.ROOT, "%-14s  %-6s  %8s  %8s", "CHECK", "RESULT", "FINDINGS", "REQUESTS"));
        for (CheckResult r : results) {
            out.println(String.format(
                    Locale.ROOT,
                    "%-14s  %-6s  %8s  %8d",
                    r.name(),
                    r.outcome(),
                    r.outcome() == Outcome.SKIP
                            ? "-"
                            : String.valueOf(r.findings().size()),
                    r.requests()));
        }
        Map<String, Exchange> slowest = AnswerChecks.slowestPerRoute(exchanges);
        if (!slowest.isEmpty()) {
            out.println();
            int width = Math.max(
                    5, slowest.keySet().stream().mapToInt(String::length).max().orElse(5));
            out.println(String.format(
                    Locale.ROOT, "%-" + width + "s  %7s  %9s  %9s", "ROUTE", "ANSWERS", "SLOWEST", "BUDGET"));
            for (Map.Entry<String, Exchange> entry : slowest.entrySet()) {
                long answers = exchanges.stream()
                        .filter(e -> e.request().route().equals(entry.getKey()))
                        .count();
                Exchange e = entry.getValue();
                String budget = AnswerChecks.budget(e.request().operation(), budgetScale)
                        .map(Exchange::formatMillis)
                        .orElse("-");
                String time = e.answered() ? e.millis() : "none";
                out.println(String.format(
                        Locale.ROOT, "%-" + width + "s  %7d  %9s  %9s", entry.getKey(), answers, time, budget));
            }
        }
        long passed = results.stream().filter(r -> r.outcome() == Outcome.PASS).count();
        long failed = results.stream().filter(r -> r.outcome() == Outcome.FAIL).count();
        long skipped = results.stream().filter(r -> r.outcome() == Outcome.SKIP).count();
        int findings = results.stream().mapToInt(r -> r.findings().size()).sum();
        out.println();
        out.println("checks: " + passed + " passed, " + failed + " failed, " + skipped + " skipped; "
                + plural(findings, "finding") + "; " + plural(exchanges.size(), "request") + " in "
                + Exchange.formatMillis(total));
    }

    static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
