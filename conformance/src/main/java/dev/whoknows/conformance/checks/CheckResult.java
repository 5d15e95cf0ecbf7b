package dev.whoknows.conformance.checks;

import java.time.Duration;
import java.util.List;

/** How one check went. */
public record CheckResult(
        String name,
        String description,
        Outcome outcome,
        List<Finding> findings,
        List<String> notes,
        String skipReason,
        int requests,
        Duration time) {
    public enum Outcome {
        PASS,
        FAIL,
        SKIP
    }

    public boolean failed() {
        return outcome == Outcome.FAIL;
    }
}
