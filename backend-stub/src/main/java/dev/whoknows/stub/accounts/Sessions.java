package dev.whoknows.stub.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Server-side sessions: a random id (32 bytes, base64url) maps to a username until logout or expiry. */
public final class Sessions {
    public static final Duration LIFETIME = Duration.ofHours(24);
    private static final int MAX_SESSIONS = 100_000;

    private record Session(String username, Instant expires) {}

    private final ConcurrentMap<String, Session> byId = new ConcurrentHashMap<>();
    private final Clock clock;

    public Sessions(Clock clock) {
        this.clock = clock;
    }

    /** A fresh id every time: a session id known before login is never the one used after it. */
    public String start(String username) {
        if (byId.size() >= MAX_SESSIONS) {
            Instant now = clock.instant();
            byId.values().removeIf(s -> s.expires().isBefore(now));
        }
        byte[] bytes = new byte[32];
        Randomness.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        byId.put(id, new Session(username, clock.instant().plus(LIFETIME)));
        return id;
    }

    public Optional<String> username(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = byId.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (session.expires().isBefore(clock.instant())) {
            byId.remove(id, session);
            return Optional.empty();
        }
        return Optional.of(session.username());
    }

    public void end(String id) {
        if (id != null) {
            byId.remove(id);
        }
    }
}
