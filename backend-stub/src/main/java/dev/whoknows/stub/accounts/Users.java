package dev.whoknows.stub.accounts;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Registered users, in memory. Usernames are unique; the first registration of a name wins. */
public final class Users {
    public record User(String username, String email, String passwordHash) {}

    private final ConcurrentMap<String, User> byName = new ConcurrentHashMap<>();

    /** @return false when the username is already taken (atomic: two racing callers cannot both win) */
    public boolean add(User user) {
        return byName.putIfAbsent(user.username(), user) == null;
    }

    public boolean exists(String username) {
        return byName.containsKey(username);
    }

    public Optional<User> find(String username) {
        return Optional.ofNullable(byName.get(username));
    }
}
