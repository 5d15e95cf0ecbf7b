package dev.whoknows.frontend.proxy;

import dev.whoknows.frontend.FrontendConfig;
import dev.whoknows.frontend.edge.ErrorAnswers;
import dev.whoknows.frontend.ops.Metrics;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards every {@code /api/*} request except the frontend's own (health, ready, metrics) to BACKEND_URL
 * with OkHttp, streaming both bodies, and maps backend failures to {"statusCode":N,"message":"..."} answers.
 *
 * <p>This class runs the exchange; each leg has its own class, as in Jetty's ProxyHandler:
 * {@link ClientToProxy} (the client's body), {@link ProxyToBackend} (the backend request and its headers),
 * {@link BackendToProxy} (the backend's status and headers), {@link ProxyToClient} (the body streamed back),
 * and {@link Failures} (what a failed leg becomes for the client). Which requests reach it is decided where
 * routes are wired (FrontendApp).
 *
 * <p>A Jetty handler in front of Javalin, on Jetty's core API: with the servlet and Javalin layers a proxied
 * search cost about 3 times the CPU (bench/RESULTS.md). Requests run on virtual threads (Java 21+), so a
 * call that waits on the backend holds no platform thread.
 */
public final class Proxy extends Handler.Wrapper {

    /** What to do with the backend's answer; the plain proxy streams it, forms/ turns it into a redirect. */
    public interface Answer {
        /** Ends the exchange from the backend's answer; returns the outcome label for metrics, e.g. "2xx". */
        String onResponse(Exchange exchange, Response response) throws IOException;

        /** Ends the exchange when the backend could not be used (nothing was sent yet). */
        void onFailure(Exchange exchange, BackendFailure failure);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Proxy.class);

    private final OkHttpClient client;
    /** Same client without pooling, for one-shot bodies (see forward). */
    private final OkHttpClient freshConnections;

    private final ClientToProxy fromClient;
    private final ProxyToBackend toBackend;
    private final Metrics metrics;
    private final Predicate<Request> forwards;
    private final Function<Request, Answer> answers;
    private final int readTimeoutMs;
    private final int callTimeoutMs;
    private Deadlines deadlines;
    private final Semaphore permits;

    /**
     * @param client  the backend client (BackendClient): without read, write and call timeouts, which
     *                {@link Deadlines} keeps
     * @param forwards which requests are the proxy's (decided where routes are wired, FrontendApp)
     * @param answers picks a special answer for a request (forms), or null for the plain proxy
     */
    public Proxy(
            FrontendConfig config,
            OkHttpClient client,
            Metrics metrics,
            Predicate<Request> forwards,
            Function<Request, Answer> answers) {
        this.client = client;
        this.freshConnections = client.newBuilder()
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
                .build();
        this.fromClient = new ClientToProxy(config.maxBodyBytes(), config.readTimeoutMs());
        this.toBackend = new ProxyToBackend(new Target(config.backendUrl()), fromClient);
        this.metrics = metrics;
        this.forwards = forwards;
        this.answers = answers;
        this.permits = new Semaphore(config.maxProxyRequests());
        this.readTimeoutMs = config.readTimeoutMs();
        this.callTimeoutMs = config.callTimeoutMs();
    }

    @Override
    public boolean handle(Request request, org.eclipse.jetty.server.Response response, Callback callback)
            throws Exception {
        String path = request.getHttpURI().getPath();
        if (!forwards.test(request)) {
            return super.handle(request, response, callback);
        }
        Exchange exchange = new Exchange(request, response, callback);
        try {
            route(exchange);
        } catch (RuntimeException | Error ex) {
            LOG.error("unexpected error for {} {} rid={}", exchange.method(), path, exchange.id(), ex);
            if (exchange.ended()) {
                return true;
            }
            if (exchange.isCommitted()) {
                exchange.abort(ex);
            } else {
                exchange.reset();
                exchange.routeClass("api");
                exchange.error(500, ErrorAnswers.internalError(exchange.id()));
            }
        }
        return true;
    }

    @Override
    protected void doStart() throws Exception {
        deadlines = new Deadlines(readTimeoutMs, callTimeoutMs);
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        deadlines.close();
    }

    /** The edge has applied the method policy: every method that gets here is forwarded. */
    private void route(Exchange exchange) {
        Answer answer = answers.apply(exchange.request());
        if (answer != null) {
            exchange.routeClass("api");
        }
        forward(exchange, answer == null ? ProxyToClient.STREAM : answer);
    }

    private void forward(Exchange exchange, Answer answer) {
        okhttp3.Request call;
        try {
            call = toBackend.build(exchange);
        } catch (Target.Rejected ex) {
            exchange.routeClass("api");
            LOG.info("rejected {} {} rid={}: {}", exchange.method(), exchange.path(), exchange.id(), ex.getMessage());
            exchange.error(400, "Bad request target: " + ex.getMessage());
            return;
        } catch (ClientToProxy.BodyTooLarge ex) {
            exchange.routeClass("api");
            fromClient.discard(exchange.request());
            exchange.response().getHeaders().put(HttpHeader.CONNECTION, "close");
            exchange.error(413, ex.getMessage());
            return;
        }
        if (!permits.tryAcquire()) {
            exchange.response().getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            exchange.error(503, "The frontend is handling too many backend requests. Please try again in a moment.");
            return;
        }
        metrics.proxyStarted();
        long start = System.nanoTime();
        String outcome = "client_error";
        // A streamed body cannot be replayed, so OkHttp cannot retry it when a pooled connection turns
        // out to be dead (backend restarted): such requests always get a new connection.
        boolean oneShot = call.body() != null && call.body().isOneShot();
        Call backend = (oneShot ? freshConnections : client).newCall(call);
        try (Deadlines.Watch watch = deadlines.watch(backend)) {
            exchange.watch = watch;
            try (Response response = backend.execute()) {
                outcome = answer.onResponse(exchange, response);
            } catch (IOException ex) {
                outcome = Failures.failed(exchange, answer, ex, watch.timedOut(), metrics);
            }
        } finally {
            permits.release();
            metrics.proxyEnded();
            metrics.proxied(outcome, System.nanoTime() - start);
        }
    }
}
