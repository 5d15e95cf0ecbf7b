package dev.whoknows.frontend.proxy;

import dev.whoknows.frontend.ops.Metrics;
import java.io.IOException;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Failure mapping: what a failed exchange becomes for the client, whichever leg failed. */
final class Failures {

    private static final Logger LOG = LoggerFactory.getLogger(Proxy.class);

    private Failures() {}

    /** Ends the exchange after a failed backend call; returns the outcome label for metrics. */
    static String failed(Exchange exchange, Proxy.Answer answer, IOException ex, boolean timedOut, Metrics metrics) {
        ClientToProxy.BodyTooLarge tooLarge = find(ex, ClientToProxy.BodyTooLarge.class);
        if (tooLarge != null) {
            if (!exchange.isCommitted()) {
                exchange.reset();
                exchange.routeClass("api");
                exchange.response().getHeaders().put(HttpHeader.CONNECTION, "close");
                exchange.error(413, tooLarge.getMessage());
            } else {
                exchange.abort(tooLarge);
            }
            return "client_error";
        }
        ClientToProxy.ClientSide client = find(ex, ClientToProxy.ClientSide.class);
        if (client != null) {
            LOG.debug(
                    "client went away during {} {} rid={}: {}",
                    exchange.method(),
                    exchange.path(),
                    exchange.id(),
                    client.getMessage());
            if (!exchange.isCommitted()) {
                exchange.reset();
                exchange.error(400, "The request body could not be read.");
            } else {
                exchange.abort(client);
            }
            return "client_error";
        }
        BackendFailure failure = timedOut ? BackendFailure.TIMEOUT : BackendFailure.of(ex);
        metrics.backendError(failure.kind());
        if (exchange.isCommitted()) {
            LOG.warn(
                    "backend {} after the response started: {} {} rid={}: {}; aborting the client connection",
                    failure.kind(),
                    exchange.method(),
                    exchange.path(),
                    exchange.id(),
                    ex.toString());
            exchange.abort(ex);
        } else {
            LOG.warn(
                    "backend {}: {} {} -> {} rid={}: {}",
                    failure.kind(),
                    exchange.method(),
                    exchange.path(),
                    failure.status(),
                    exchange.id(),
                    ex.toString());
            exchange.reset();
            answer.onFailure(exchange, failure);
        }
        return failure.kind();
    }

    private static <T extends Throwable> T find(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            for (Throwable s : t.getSuppressed()) {
                if (type.isInstance(s)) {
                    return type.cast(s);
                }
            }
        }
        return null;
    }
}
