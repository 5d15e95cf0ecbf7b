package dev.whoknows.conformance;

import dev.whoknows.conformance.checks.Check;
import dev.whoknows.conformance.checks.CheckResult;
import dev.whoknows.conformance.checks.Checks;
import dev.whoknows.conformance.checks.Run;
import dev.whoknows.conformance.checks.Samples;
import dev.whoknows.conformance.contract.Contract;
import dev.whoknows.conformance.http.BoundedClient;
import dev.whoknows.conformance.report.ConsoleReport;
import dev.whoknows.conformance.report.JUnitReport;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** One run: options in, checks run against the base URL, reports out, an exit code back. */
public final class Conformance {
    public static final int PASSED = 0;
    public static final int FINDINGS = 1;
    public static final int USAGE = 2;

    private Conformance() {}

    /** Parses {@code args}, runs, prints to {@code out} (results) and {@code err} (usage errors). */
    public static int main(List<String> args, PrintStream out, PrintStream err) {
        Contract contract = Contract.bundled();
        Checks checks = new Checks(contract);
        try {
            Options options = Options.parse(args, checks.names());
            if (options.help()) {
                out.print(Options.help(checks.all().stream()
                        .map(c -> String.format(
                                Locale.ROOT,
                                "  %-14s %s%s",
                                c.name(),
                                c.frontendOnly() ? "(--frontend) " : "",
                                c.description()))
                        .toList()));
                return PASSED;
            }
            return run(options, contract, checks, out);
        } catch (UsageException e) {
            err.println("whoknows-conform: " + e.getMessage());
            return USAGE;
        }
    }

    static int run(Options options, Contract contract, Checks checks, PrintStream out) {
        List<Check> selection = checks.selection(options.only());
        if (!options.frontend()) {
            List<Check> frontendOnly = selection.stream()
                    .filter(c -> options.only().contains(c.name()))
                    .filter(Check::frontendOnly)
                    .toList();
            if (!frontendOnly.isEmpty()) {
                throw new UsageException("--only " + Checks.list(frontendOnly) + ": runs only with --frontend");
            }
        }
        options.report().ifPresent(Conformance::checkWritable);
        int planned = Checks.plannedRequests(selection, options.frontend());
        String runId = runId();
        BoundedClient client = new BoundedClient(options.baseUrl(), options.rate(), options.maxTime(), planned, runId);
        ConsoleReport console = new ConsoleReport(out, client.baseUrl());
        out.println("whoknows-conform: " + client.baseUrl() + " as a " + (options.frontend() ? "frontend" : "backend")
                + ", contract " + contract.title());
        out.println("  run " + runId + ": " + Checks.list(selection) + "; at most " + planned + " requests, "
                + fmt(options.rate()) + "/s, time limit " + options.maxTime().toSeconds() + " s, budgets × "
                + fmt(options.budgetScale()));
        out.println();
        Run run = new Run(
                client,
                contract,
                new Samples(runId),
                options.budgetScale(),
                options.verbose() ? console::exchange : e -> {});
        Instant started = Instant.now();
        long start = System.nanoTime();
        List<CheckResult> results;
        try {
            results = Checks.run(selection, options.frontend(), run, client, console::result);
        } catch (BoundedClient.Unreachable e) {
            throw new UsageException(e.getMessage());
        }
        Duration total = Duration.ofNanos(System.nanoTime() - start);
        console.summary(results, client.exchanges(), options.budgetScale(), total);
        if (options.report().isPresent()) {
            try {
                JUnitReport.write(
                        options.report().get(), client.baseUrl(), options.frontend(), results, started, total);
                out.println("JUnit report: " + options.report().get());
            } catch (IOException e) {
                throw new UsageException("--report: " + e.getMessage());
            }
        }
        return results.stream().anyMatch(CheckResult::failed) ? FINDINGS : PASSED;
    }

    private static void checkWritable(java.nio.file.Path file) {
        java.nio.file.Path dir = file.toAbsolutePath().getParent();
        if (java.nio.file.Files.isDirectory(file)) {
            throw new UsageException("--report " + file + " is a directory; give a file name");
        }
        while (dir != null && !java.nio.file.Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir == null || !java.nio.file.Files.isWritable(dir)) {
            throw new UsageException("--report " + file + ": cannot write in " + dir);
        }
    }

    /** Short, unique enough per run: base-36 seconds and four random characters. */
    static String runId() {
        SecureRandom random = new SecureRandom();
        StringBuilder id = new StringBuilder(Long.toString(System.currentTimeMillis() / 1000, 36));
        for (int i = 0; i < 4; i++) {
            id.append(Character.forDigit(random.nextInt(36), 36));
        }
        return id.toString();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
