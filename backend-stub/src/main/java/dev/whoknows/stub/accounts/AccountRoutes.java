package dev.whoknows.stub.accounts;

import dev.whoknows.stub.ApiError;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /api/register, POST /api/login, GET /api/logout and GET /api/session, with the legacy app's
 * messages. Never logs a password or a session id.
 */
public final class AccountRoutes {
    public static final String COOKIE = "session";
    public static final String DEMO_USERNAME = "demo";
    public static final String DEMO_PASSWORD = "demo1234";
    public static final String DEMO_EMAIL = "demo@whoknows.local";

    /**
     * {@link #DEMO_PASSWORD}'s hash in {@link PasswordHasher}'s format, made once offline: hashing it at
     * every start (120,000 PBKDF2 iterations before the JIT has compiled them) was most of the stub's
     * start time, 1-2 s of a container's start (bench/NOTES.md).
     */
    static final String DEMO_PASSWORD_HASH =
            "pbkdf2-sha256$120000$tCC5u/ZXRzn+3DQyLBqbGQ$kZalWCuIRFdW4hQZn6koE1jRdQdGoZ4KlQeTpaI6hPk";

    private static final Logger log = LoggerFactory.getLogger(AccountRoutes.class);
    private static final Pattern EMAIL = Pattern.compile("[^\\s@]+@[^\\s@]+\\.[^\\s@]+");

    /** Usernames are 1..32 printable characters: a name must fit a phone's navigation bar and a log line. */
    public static final int MAX_USERNAME = 32;

    public static final int MAX_PASSWORD = 256;

    private final Users users = new Users();
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final PasswordHasher hasher;

    public record Message(int statusCode, String message) {}

    public record SessionData(String username) {}

    public record SessionResponse(SessionData data) {}

    public AccountRoutes(PasswordHasher hasher, LoginThrottle throttle, Clock clock) {
        this.hasher = hasher;
        this.throttle = throttle;
        this.sessions = new Sessions(clock);
        users.add(new Users.User(DEMO_USERNAME, DEMO_EMAIL, DEMO_PASSWORD_HASH));
    }

    public void register(Context ctx) {
        Map<String, String> f = RequestFields.read(ctx, List.of("username", "email", "password"), List.of("password2"));
        String username = f.get("username").strip();
        String email = f.get("email").strip();
        String password = f.get("password");
        String password2 = f.get("password2");
        if (username.isEmpty()) {
            throw new ApiError(400, "You have to enter a username");
        }
        checkUsername(username);
        if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
            throw new ApiError(400, "You have to enter a valid email address");
        }
        if (password.isEmpty()) {
            throw new ApiError(400, "You have to enter a password");
        }
        if (password.codePointCount(0, password.length()) > MAX_PASSWORD) {
            throw new ApiError(400, "The password can be at most " + MAX_PASSWORD + " characters long");
        }
        if (password2 != null && !password.equals(password2)) {
            throw new ApiError(400, "The two passwords do not match");
        }
        // checked before the slow hash, and again atomically when adding
        if (users.exists(username) || !users.add(new Users.User(username, email, hasher.hash(password)))) {
            log.info("registration refused: username {} is taken", printable(username));
            throw new ApiError(409, "The username is already taken");
        }
        log.info("registered user {}", printable(username));
        ctx.json(new Message(200, "You were successfully registered and can login now"));
    }

    public void login(Context ctx) {
        Map<String, String> f = RequestFields.read(ctx, List.of("username", "password"), List.of());
        String username = f.get("username").strip();
        OptionalLong wait = throttle.retryAfterSeconds(username);
        if (wait.isPresent()) {
            log.warn("login refused for {}: too many failed logins", printable(username));
            throw new ApiError(
                    429,
                    "Too many failed logins; try again in " + wait.getAsLong() + " seconds",
                    Map.of("Retry-After", String.valueOf(wait.getAsLong())));
        }
        Users.User user = users.find(username).orElse(null);
        if (user == null) {
            throttle.failed(username);
            log.info("login failed for {}: unknown username", printable(username));
            throw new ApiError(401, "Invalid username");
        }
        if (!hasher.matches(f.get("password"), user.passwordHash())) {
            throttle.failed(username);
            log.info("login failed for {}: wrong password", printable(username));
            throw new ApiError(401, "Invalid password");
        }
        throttle.succeeded(username);
        sessions.end(ctx.cookie(COOKIE)); // no fixation: whatever session came in is dropped
        String id = sessions.start(user.username());
        ctx.res().addHeader("Set-Cookie", COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Lax");
        log.info("user {} logged in", printable(username));
        ctx.json(new Message(200, "You were logged in"));
    }

    public void logout(Context ctx) {
        String id = ctx.cookie(COOKIE);
        sessions.username(id).ifPresent(name -> log.info("user {} logged out", printable(name)));
        sessions.end(id);
        ctx.res()
                .addHeader(
                        "Set-Cookie",
                        COOKIE + "=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax");
        ctx.json(new Message(200, "You were logged out"));
    }

    public void session(Context ctx) {
        String username = sessions.username(ctx.cookie(COOKIE)).orElse(null);
        ctx.header("Cache-Control", "no-store");
        ctx.json(new SessionResponse(new SessionData(username)));
    }

    private static void checkUsername(String username) {
        if (username.codePointCount(0, username.length()) > MAX_USERNAME) {
            throw new ApiError(400, "The username can be at most " + MAX_USERNAME + " characters long");
        }
        boolean printable = username.codePoints()
                .allMatch(cp -> !Character.isISOControl(cp)
                        && Character.getType(cp) != Character.FORMAT
                        && Character.getType(cp) != Character.UNASSIGNED
                        && Character.getType(cp) != Character.PRIVATE_USE
                        && Character.getType(cp) != Character.SURROGATE
                        && Character.getType(cp) != Character.LINE_SEPARATOR
                        && Character.getType(cp) != Character.PARAGRAPH_SEPARATOR);
        if (!printable) {
            throw new ApiError(400, "The username can only contain printable characters");
        }
    }

    /** User input in a log line: quoted, control characters escaped, length bounded. */
    private static String printable(String value) {
        StringBuilder out = new StringBuilder("'");
        value.codePoints().limit(64).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append(value.codePointCount(0, value.length()) > 64 ? "...'" : "'")
                .toString();
    }
}
