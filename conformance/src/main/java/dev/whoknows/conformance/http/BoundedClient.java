package dev.whoknows.conformance.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The only way the tool talks to the network. It sends to the base URL and nowhere else (no proxy, no
 * redirects followed, every URL checked against the base), one request at a time, at most {@code rate}
 * per second, at most {@code maxRequests} in all, and never past the deadline.
 */
public final class BoundedClient {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Longer than the largest latency budget (10 s), so a slow answer is measured, not cut off. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    public static final int MAX_BODY_BYTES = 1 << 20;
    public static final String USER_AGENT = "whoknows-conform/1.0";

    /** The run's time limit was reached: nothing more is sent. */
    public static final class TimeLimitReached extends RuntimeException {
        public TimeLimitReached(String message) {
            super(message);
        }
    }

    /** The very first request could not connect: the base URL is wrong or the server is down. */
    public static final class Unreachable extends RuntimeException {
        public Unreachable(String message) {
            super(message);
        }
    }

    private final URI base;
    private final String baseText;
    private final long intervalNanos;
    private final long deadlineNanos;
    private final Duration maxTime;
    private final int maxRequests;
    private final String runId;
    private final HttpClient http;
    private final List<Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());
    private long nextSlot;
    private int sent;

    /**
     * @param base        http(s) URL without query, fragment or trailing slash
     * @param rate        requests per second, at most
     * @param maxTime     total time limit, counted from now
     * @param maxRequests the plan: more is a programming error
     */
    public BoundedClient(URI base, double rate, Duration maxTime, int maxRequests, String runId) {
        this.base = base;
        this.baseText = base.toString();
        this.intervalNanos = (long) (1_000_000_000L / rate);
        this.maxTime = maxTime;
        this.deadlineNanos = System.nanoTime() + maxTime.toNanos();
        this.maxRequests = maxRequests;
        this.runId = runId;
        this.nextSlot = System.nanoTime();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    public String baseUrl() {
        return baseText;
    }

    /** Every exchange so far, in order. */
    public List<Exchange> exchanges() {
        synchronized (exchanges) {
            return List.copyOf(exchanges);
        }
    }

    public int sent() {
        return sent;
    }

    public Exchange send(Request request) {
        if (sent >= maxRequests) {
            throw new IllegalStateException("plan exceeded: more than " + maxRequests + " requests");
        }
        URI uri = target(request);
        pace();
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw new TimeLimitReached(
                    "time limit of " + maxTime.toSeconds() + " s reached after " + sent + " requests");
        }
        Duration timeout = Duration.ofNanos(Math.min(REQUEST_TIMEOUT.toNanos(), remaining));
        String requestId = runId + "-" + (++sent);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("User-Agent", USER_AGENT)
                .header("X-Request-Id", requestId);
        request.headers().forEach(builder::header);
        byte[] body = request.body().text().getBytes(StandardCharsets.UTF_8);
        builder.method(
                request.method(),
                body.length == 0 && !request.method().equals("POST")
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));

        long start = System.nanoTime();
        Exchange exchange;
        try {
            CompletableFuture<java.net.http.HttpResponse<CappedBody.Bytes>> future =
                    http.sendAsync(builder.build(), info -> new CappedBody(MAX_BODY_BYTES));
            java.net.http.HttpResponse<CappedBody.Bytes> response;
            try {
                // the client's timeout covers the wait for the headers; this one the body as well
                response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                throw new HttpTimeoutException("request timed out");
            }
            Map<String, List<String>> headers = new TreeMap<>();
            response.headers()
                    .map()
                    .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            exchange = new Exchange(
                    request,
                    requestId,
                    response.statusCode(),
                    headers,
                    response.body().data(),
                    response.body().truncated(),
                    Duration.ofNanos(System.nanoTime() - start),
                    null);
        } catch (ExecutionException e) {
            exchange = failed(request, requestId, start, e.getCause(), timeout);
        } catch (IOException e) {
            exchange = failed(request, requestId, start, e, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeLimitReached("interrupted");
        }
        if (sent == 1 && !exchange.answered() && isConnectFailure(exchange)) {
            throw new Unreachable("cannot reach " + baseText + ": " + exchange.error());
        }
        exchanges.add(exchange);
        return exchange;
    }

    private URI target(Request request) {
        String text = request.target().text();
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("targets are paths: " + request.describe());
        }
        URI uri = URI.create(baseText + text);
        // never anywhere but the base URL, whatever a target looks like
        if (!Objects.equals(uri.getScheme(), base.getScheme())
                || !Objects.equals(uri.getHost(), base.getHost())
                || uri.getPort() != base.getPort()
                || uri.getRawUserInfo() != null
                || !uri.getRawPath().startsWith(base.getRawPath())) {
            throw new IllegalArgumentException("refusing to send outside " + baseText + ": " + uri);
        }
        return uri;
    }

    private synchronized void pace() {
        long now = System.nanoTime();
        long wait = nextSlot - now;
        if (wait > 0) {
            long until = Math.min(nextSlot, deadlineNanos);
            try {
                TimeUnit.NANOSECONDS.sleep(Math.max(0, until - now));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TimeLimitReached("interrupted");
            }
        }
        nextSlot = Math.max(now, nextSlot) + intervalNanos;
    }

    private static boolean isConnectFailure(Exchange exchange) {
        String error = exchange.error();
        return error.startsWith("connection refused")
                || error.startsWith("unknown host")
                || error.startsWith("could not connect")
                || error.startsWith("TLS");
    }

    private Exchange failed(Request request, String requestId, long start, Throwable cause, Duration timeout) {
        return new Exchange(
                request,
                requestId,
                0,
                Map.of(),
                new byte[0],
                false,
                Duration.ofNanos(System.nanoTime() - start),
                reason(cause, timeout));
    }

    static String reason(Throwable e, Duration timeout) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "could not connect within " + CONNECT_TIMEOUT.toSeconds() + " s";
            }
            if (t instanceof HttpTimeoutException) {
                return "no complete answer within " + Exchange.formatMillis(timeout);
            }
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof SSLException) {
                return "TLS failed: " + t.getMessage();
            }
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
