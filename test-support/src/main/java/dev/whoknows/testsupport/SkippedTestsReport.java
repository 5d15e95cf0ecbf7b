package dev.whoknows.testsupport;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says on the console why tests were skipped: one WARN line per test class with skipped or aborted tests (the
 * reason is the assumption's message, which names the fix), then one line counting those classes when the run
 * ends. Registered for every module's tests through META-INF/services; Surefire would otherwise show only
 * "Skipped: 9" and keep the reason in its XML report.
 */
public final class SkippedTestsReport implements TestExecutionListener {

    private final PrintStream console;
    private final Map<String, Skips> classes = new LinkedHashMap<>();

    /** Used by the JUnit Platform's service loader: writes to the build's console (see {@link Console}). */
    public SkippedTestsReport() {
        this(Console.stream());
    }

    SkippedTestsReport(PrintStream console) {
        this.console = console;
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier id, String reason) {
        className(id).ifPresent(name -> {
            Skips skips = classes.computeIfAbsent(name, k -> new Skips());
            skips.reason(reason);
            if (id.isTest()) {
                skips.total++;
                skips.skipped++;
            } else if (isClass(id)) {
                skips.wholeClass = true;
                report(name);
            }
        });
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        Optional<String> name = className(id);
        if (name.isEmpty()) {
            return;
        }
        boolean aborted = result.getStatus() == TestExecutionResult.Status.ABORTED;
        if (id.isTest()) {
            Skips skips = classes.computeIfAbsent(name.get(), k -> new Skips());
            skips.total++;
            if (aborted) {
                skips.skipped++;
                skips.reason(message(result));
            }
        } else if (isClass(id)) {
            if (aborted) {
                Skips skips = classes.computeIfAbsent(name.get(), k -> new Skips());
                skips.wholeClass = true;
                skips.reason(message(result));
            }
            report(name.get());
        }
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan plan) {
        long count = classes.values().stream().filter(Skips::any).count();
        if (count > 0) {
            console.printf(
                    "[WARN] %d test class%s skipped tests in this run (reasons in the WARN lines above)%n",
                    count, count == 1 ? "" : "es");
            console.flush();
        }
        classes.clear();
    }

    private void report(String className) {
        Skips skips = classes.get(className);
        if (skips == null || !skips.any() || skips.reported) {
            return;
        }
        skips.reported = true;
        String what = skips.wholeClass && skips.total == skips.skipped
                ? "skipped"
                : "skipped " + skips.skipped + " of " + skips.total + " tests";
        console.printf("[WARN] %s %s: %s%n", className, what, skips.reason);
        console.flush();
    }

    private static String message(TestExecutionResult result) {
        return result.getThrowable()
                .map(Throwable::getMessage)
                .filter(message -> !message.isBlank())
                .orElse("aborted without a reason (an assumption without a message)");
    }

    private static boolean isClass(TestIdentifier id) {
        return id.getSource().filter(ClassSource.class::isInstance).isPresent();
    }

    private static Optional<String> className(TestIdentifier id) {
        Optional<TestSource> source = id.getSource();
        if (source.isEmpty()) {
            return Optional.empty();
        }
        if (source.get() instanceof ClassSource cls) {
            return Optional.of(cls.getClassName());
        }
        if (source.get() instanceof MethodSource method) {
            return Optional.of(method.getClassName());
        }
        return Optional.empty();
    }

    /** What was skipped in one class and the first reason given. */
    private static final class Skips {
        private int total;
        private int skipped;
        private boolean wholeClass;
        private boolean reported;
        private String reason;

        void reason(String why) {
            if (reason == null && why != null) {
                reason = why;
            }
        }

        boolean any() {
            return wholeClass || skipped > 0;
        }
    }
}
