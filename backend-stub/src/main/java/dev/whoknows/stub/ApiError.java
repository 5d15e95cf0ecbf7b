package dev.whoknows.stub;

import java.util.Map;

/**
 * A request the stub answers with {@code {"statusCode":N,"message":"..."}} (the course's AuthResponse /
 * RequestValidationError shape). Thrown from handlers; {@link StubApp} renders it.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final Map<String, String> headers;

    public ApiError(int status, String message) {
        this(status, message, Map.of());
    }

    public ApiError(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Body body() {
        return new Body(status, getMessage());
    }

    /** The JSON body: {@code {"statusCode":N,"message":"..."}}. */
    public record Body(int statusCode, String message) {}

    /** Quote user input in a message without letting it grow the answer without bound. */
    public static String quote(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return "'" + shown + "'";
    }
}
