package dev.whoknows.stub.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Slows password guessing: after {@code maxFailures} failed logins for one username within
 * {@code window}, further attempts for that username are refused until the oldest of those failures
 * leaves the window. A successful login clears the count.
 */
public final class LoginThrottle {
    public static final int DEFAULT_MAX_FAILURES = 5;
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
    private static final int PRUNE_ABOVE = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final ConcurrentMap<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** Seconds to wait before {@code username} may try again, or empty when it may try now. */
    public OptionalLong retryAfterSeconds(String username) {
        Deque<Instant> times = failures.get(username);
        if (times == null) {
            return OptionalLong.empty();
        }
        synchronized (times) {
            Instant now = clock.instant();
            prune(times, now);
            if (times.size() < maxFailures) {
                return OptionalLong.empty();
            }
            Instant free = times.peekFirst().plus(window);
            long millis = Duration.between(now, free).toMillis();
            return OptionalLong.of(Math.max(1, (millis + 999) / 1000));
        }
    }

    public void failed(String username) {
        if (failures.size() > PRUNE_ABOVE) {
            Instant now = clock.instant();
            failures.values().removeIf(times -> {
                synchronized (times) {
                    prune(times, now);
                    return times.isEmpty();
                }
            });
        }
        Deque<Instant> times = failures.computeIfAbsent(username, k -> new ArrayDeque<>());
        synchronized (times) {
            Instant now = clock.instant();
            prune(times, now);
            times.addLast(now);
            while (times.size() > maxFailures) {
                times.removeFirst();
            }
        }
    }

    public void succeeded(String username) {
        failures.remove(username);
    }

    private void prune(Deque<Instant> times, Instant now) {
        Instant cutoff = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.removeFirst();
        }
    }
}
