package dev.whoknows.frontend.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Locale;

/** What went wrong talking to the backend, and the status the client gets for it. */
public enum BackendFailure {
    REFUSED(503, "The WhoKnows backend is unavailable. Please try again in a moment."),
    TIMEOUT(504, "The WhoKnows backend did not answer in time."),
    RESET(502, "The WhoKnows backend closed the connection unexpectedly."),
    MALFORMED(502, "The WhoKnows backend sent an invalid response.");

    private final int status;
    private final String message;

    BackendFailure(int status, String message) {
        this.status = status;
        this.message = message;
    }

    public int status() {
        return status;
    }

    public String message() {
        return message;
    }

    /** Label used in metrics and logs. */
    public String kind() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BackendFailure of(IOException ex) {
        if (ex instanceof ConnectException
                || ex instanceof NoRouteToHostException
                || ex instanceof UnknownHostException) {
            return REFUSED;
        }
        if (ex instanceof InterruptedIOException) {
            return TIMEOUT; // SocketTimeoutException and OkHttp's call timeout
        }
        if (ex instanceof SocketException || ex instanceof EOFException) {
            return RESET;
        }
        if (ex instanceof ProtocolException) {
            return MALFORMED;
        }
        String message = String.valueOf(ex.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("unexpected end of stream") || message.contains("reset") || message.contains("closed")) {
            return RESET;
        }
        return MALFORMED;
    }
}
