package dev.whoknows.stub.accounts;

import java.security.SecureRandom;

/**
 * The accounts' one source of random bytes (salts, session ids), made at its first use rather than at
 * start-up: the first {@link SecureRandom} loads the JDK's security providers, ~15 ms of the main thread's
 * start in the image's profile (bench/NOTES.md, 2026-12-03 night); the first request that needs it pays
 * that once instead.
 */
final class Randomness {
    private Randomness() {}

    static void nextBytes(byte[] bytes) {
        Holder.RANDOM.nextBytes(bytes);
    }

    /** Initialised by the JVM on first access, once, thread-safely. */
    private static final class Holder {
        static final SecureRandom RANDOM = new SecureRandom();
    }
}
