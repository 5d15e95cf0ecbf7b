package dev.whoknows.conformance;

/** A bad command line or an unreachable base URL: exit code 2 with a message saying which. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
