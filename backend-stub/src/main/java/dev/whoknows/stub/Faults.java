package dev.whoknows.stub;

import io.javalin.http.Context;

/**
 * Fault knobs for frontend testing, only when STUB_FAULTS=on: {@code X-Stub-Delay-Ms: N} waits N ms
 * (0..30000) before answering, {@code X-Stub-Status: N} answers status N (400..599) with a JSON error
 * instead of running the route. Without STUB_FAULTS=on both headers are ignored.
 */
final class Faults {
    static final String DELAY = "X-Stub-Delay-Ms";
    static final String STATUS = "X-Stub-Status";
    static final int MAX_DELAY_MS = 30_000;

    private final boolean enabled;

    Faults(boolean enabled) {
        this.enabled = enabled;
    }

    void apply(Context ctx) throws InterruptedException {
        if (!enabled) {
            return;
        }
        String delay = ctx.header(DELAY);
        if (delay != null) {
            long ms = number(delay, DELAY, 0, MAX_DELAY_MS);
            Thread.sleep(ms);
        }
        String status = ctx.header(STATUS);
        if (status != null) {
            int code = (int) number(status, STATUS, 400, 599);
            throw new ApiError(code, "Fault injected by " + STATUS + ": " + code);
        }
    }

    private static long number(String raw, String header, long min, long max) {
        try {
            long value = Long.parseLong(raw.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiError(
                400,
                header + " must be a whole number from " + min + " to " + max + " (got " + ApiError.quote(raw) + ")");
    }
}
