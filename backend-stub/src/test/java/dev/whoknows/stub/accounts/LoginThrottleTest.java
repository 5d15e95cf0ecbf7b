package dev.whoknows.stub.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private Instant now = Instant.parse("2026-11-24T08:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofSeconds(60), clock);

    @Test
    void blocksAfterMaxFailuresUntilTheOldestLeavesTheWindow() {
        throttle.failed("alice");
        now = now.plusSeconds(10);
        throttle.failed("alice");
        throttle.failed("alice");
        assertThat(throttle.retryAfterSeconds("alice")).hasValue(50);
        assertThat(throttle.retryAfterSeconds("bob")).isEmpty();
        now = now.plusSeconds(49);
        assertThat(throttle.retryAfterSeconds("alice")).hasValue(1);
        now = now.plusSeconds(1);
        assertThat(throttle.retryAfterSeconds("alice")).isEmpty();
    }

    @Test
    void successClearsTheCount() {
        throttle.failed("alice");
        throttle.failed("alice");
        throttle.succeeded("alice");
        throttle.failed("alice");
        throttle.failed("alice");
        assertThat(throttle.retryAfterSeconds("alice")).isEmpty();
    }
}
