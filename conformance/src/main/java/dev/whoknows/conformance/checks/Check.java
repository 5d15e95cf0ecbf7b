package dev.whoknows.conformance.checks;

import java.util.List;

/**
 * A named check. It states up front how many requests it sends at most (the run's plan is the sum), and
 * records its findings on the {@link Run}.
 */
public abstract class Check {
    private final String name;
    private final String description;

    protected Check(String name, String description) {
        this.name = name;
        this.description = description;
    }

    public final String name() {
        return name;
    }

    public final String description() {
        return description;
    }

    /** Runs only with --frontend (the pages are the frontend's). */
    public boolean frontendOnly() {
        return false;
    }

    /** Checks whose results this one builds on: they run first, and if one fails this one is skipped. */
    public List<String> requires() {
        return List.of();
    }

    /** Judges the answers other checks got, sending nothing itself. */
    public boolean judgesOtherAnswers() {
        return false;
    }

    /** The most requests {@link #run} sends. */
    public abstract int plannedRequests();

    public abstract void run(Run run);
}
