package dev.whoknows.frontend.proxy;

import dev.whoknows.frontend.FrontendConfig;
import dev.whoknows.frontend.Responses;
import dev.whoknows.frontend.ops.Metrics;
import dev.whoknows.frontend.ops.OpsRoutes;
import dev.whoknows.frontend.ops.RequestLog;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Forwards every {@code /api/*} request except the frontend's own (health, ready, metrics) to BACKEND_URL
 * with OkHttp, streaming both bodies, and maps backend failures to {"statusCode":N,"message":"..."} answers.
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

    /** RFC 9110 7.6.1 hop-by-hop fields, plus ones the frontend sets itself or must not pass on. */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-connection", "te", "transfer-encoding", "upgrade",
            "proxy-authenticate", "proxy-authorization", "trailer", "http2-settings");
    private static final Set<String> NOT_FORWARDED = Set.of(
            "host", "content-length", "expect", "forwarded", "x-forwarded-for", "x-forwarded-proto",
            "x-forwarded-host", "x-request-id");
    private static final Set<String> BODY_REQUIRED = Set.of("POST", "PUT", "PATCH", "PROPPATCH", "REPORT", "QUERY");
    private static final int CHUNK = 16 * 1024;
    /** Backend answers up to this size with a Content-Length are read whole and sent in one write. */
    private static final int WHOLE = 64 * 1024;
    /** Jetty's response header buffer is twice this (FrontendApp), leaving room for our own headers. */
    public static final int MAX_BACKEND_HEADER_BYTES = 8 * 1024;
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Logger LOG = LoggerFactory.getLogger(Proxy.class);

    private final OkHttpClient client;
    /** Same client without pooling, for one-shot bodies (see forward). */
    private final OkHttpClient freshConnections;
    private final Target target;
    private final Metrics metrics;
    private final RequestLog log;
    private final Function<Request, Answer> answers;
    private final int readTimeoutMs;
    private final int callTimeoutMs;
    private Deadlines deadlines;
    private final Semaphore permits;
    private final long maxBodyBytes;

    /**
     * @param client  the backend client (BackendClient): without read, write and call timeouts, which
     *                {@link Deadlines} keeps
     * @param answers picks a special answer for a request (forms), or null for the plain proxy
     */
    public Proxy(FrontendConfig config, OkHttpClient client, Metrics metrics, RequestLog log,
                 Function<Request, Answer> answers) {
        this.client = client;
        this.freshConnections = client.newBuilder().connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
        this.target = new Target(config.backendUrl());
        this.metrics = metrics;
        this.log = log;
        this.answers = answers;
        this.permits = new Semaphore(config.maxProxyRequests());
        this.maxBodyBytes = config.maxBodyBytes();
        this.readTimeoutMs = config.readTimeoutMs();
        this.callTimeoutMs = config.callTimeoutMs();
    }

    @Override
    public boolean handle(Request request, org.eclipse.jetty.server.Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (path == null || !path.startsWith("/api/") || OpsRoutes.isOwnPath(Request.getPathInContext(request))) {
            return super.handle(request, response, callback);
        }
        Exchange exchange = new Exchange(request, response, callback, log);
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
                exchange.error(500, Responses.internalError(exchange.id()));
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

    private void route(Exchange exchange) {
        Request request = exchange.request();
        Responses.Refusal refusal = Responses.refusal(request.getMethod(), request.getHeaders().get("X-HTTP-Method-Override"));
        if (refusal != null) {
            exchange.routeClass("api");
            refusal.headers().forEach(exchange.response().getHeaders()::put);
            exchange.error(refusal.status(), refusal.message());
        } else {
            Answer answer = answers.apply(request);
            if (answer != null) {
                exchange.routeClass("api");
            }
            forward(exchange, answer == null ? STREAM : answer);
        }
    }

    private void forward(Exchange exchange, Answer answer) {
        okhttp3.Request call;
        try {
            call = build(exchange);
        } catch (Target.Rejected ex) {
            exchange.routeClass("api");
            LOG.info("rejected {} {} rid={}: {}", exchange.method(), exchange.path(), exchange.id(), ex.getMessage());
            exchange.error(400, "Bad request target: " + ex.getMessage());
            return;
        } catch (BodyTooLarge ex) {
            exchange.routeClass("api");
            discardBody(exchange.request());
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
                outcome = failed(exchange, answer, ex, watch.timedOut());
            }
        } finally {
            permits.release();
            metrics.proxyEnded();
            metrics.proxied(outcome, System.nanoTime() - start);
        }
    }

    private String failed(Exchange exchange, Answer answer, IOException ex, boolean timedOut) {
        BodyTooLarge tooLarge = find(ex, BodyTooLarge.class);
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
        ClientSide client = find(ex, ClientSide.class);
        if (client != null) {
            LOG.debug("client went away during {} {} rid={}: {}", exchange.method(), exchange.path(), exchange.id(),
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
            LOG.warn("backend {} after the response started: {} {} rid={}: {}; aborting the client connection",
                    failure.kind(), exchange.method(), exchange.path(), exchange.id(), ex.toString());
            exchange.abort(ex);
        } else {
            LOG.warn("backend {}: {} {} -> {} rid={}: {}", failure.kind(), exchange.method(), exchange.path(),
                    failure.status(), exchange.id(), ex.toString());
            exchange.reset();
            answer.onFailure(exchange, failure);
        }
        return failure.kind();
    }

    /** The backend request: same method, path, raw query, body and end-to-end headers. */
    private okhttp3.Request build(Exchange exchange) throws Target.Rejected, BodyTooLarge {
        Request request = exchange.request();
        HttpUrl url = target.of(request);
        String method = request.getMethod();
        long length = request.getLength();
        if (length > maxBodyBytes) {
            throw new BodyTooLarge(maxBodyBytes);
        }
        HttpFields fields = request.getHeaders();
        boolean hasBody = length > 0 || fields.contains(HttpHeader.TRANSFER_ENCODING);
        RequestBody body = null;
        if (hasBody && !method.equals("GET") && !method.equals("HEAD")) {
            body = new ClientBody(exchange, length, maxBodyBytes, readTimeoutMs);
        } else if (BODY_REQUIRED.contains(method)) {
            body = RequestBody.create(new byte[0], null);
        }
        return new okhttp3.Request.Builder()
                .url(url)
                .headers(requestHeaders(exchange))
                .method(method, body)
                .build();
    }

    private static Headers requestHeaders(Exchange exchange) {
        Request request = exchange.request();
        HttpFields fields = request.getHeaders();
        Set<String> listed = connectionTokens(fields.getValuesList(HttpHeader.CONNECTION));
        Headers.Builder headers = new Headers.Builder();
        StringBuilder forwardedFor = null;
        for (HttpField field : fields) {
            String lower = field.getLowerCaseName();
            if (lower.equals("x-forwarded-for")) {
                forwardedFor = (forwardedFor == null ? new StringBuilder() : forwardedFor.append(", ")).append(field.getValue());
            }
            if (HOP_BY_HOP.contains(lower) || NOT_FORWARDED.contains(lower) || listed.contains(lower)) {
                continue;
            }
            headers.addUnsafeNonAscii(field.getName(), field.getValue());
        }
        String client = Request.getRemoteAddr(request);
        headers.add("X-Forwarded-For", forwardedFor == null ? client : forwardedFor.append(", ").append(client).toString());
        headers.add("X-Forwarded-Proto", request.getHttpURI().getScheme());
        String host = fields.get(HttpHeader.HOST);
        if (host != null) {
            headers.add("X-Forwarded-Host", host);
        }
        headers.add("X-Request-Id", exchange.id());
        return headers.build();
    }

    /**
     * Copies status and end-to-end headers of a backend answer; every Set-Cookie is kept. A status or
     * header Jetty could not send on (OkHttp parses leniently) makes the answer malformed: 502.
     */
    public static void copyHead(Response response, org.eclipse.jetty.server.Response to) throws ProtocolException {
        checkHead(response);
        to.setStatus(response.code());
        Headers headers = response.headers();
        Set<String> listed = connectionTokens(headers.values("Connection"));
        HttpFields.Mutable fields = to.getHeaders();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            String lower = name.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || listed.contains(lower)) {
                continue;
            }
            fields.add(name, headers.value(i));
        }
    }

    private static void checkHead(Response response) throws ProtocolException {
        if (response.code() < 100 || response.code() > 599) {
            throw new ProtocolException("status " + response.code() + " is out of range");
        }
        long size = 0;
        for (int i = 0; i < response.headers().size(); i++) {
            String name = response.headers().name(i);
            if (!TOKEN.matcher(name).matches()) {
                throw new ProtocolException("invalid header name '" + name + "'");
            }
            size += name.length() + response.headers().value(i).length() + 4;
        }
        if (size > MAX_BACKEND_HEADER_BYTES) {
            throw new ProtocolException("response headers larger than " + MAX_BACKEND_HEADER_BYTES + " bytes");
        }
        String length = response.header("Content-Length");
        if (length != null && !length.matches("[0-9]{1,18}")) {
            throw new ProtocolException("invalid Content-Length '" + length + "'");
        }
    }

    private static Set<String> connectionTokens(List<String> values) {
        if (values.isEmpty()) {
            return Set.of();
        }
        Set<String> tokens = new HashSet<>();
        for (String value : values) {
            for (String token : value.split(",", -1)) {
                if (!token.isBlank()) {
                    tokens.add(token.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return tokens;
    }

    /**
     * Streams the body. Nothing is sent before the first chunk (or, for a body of known size up to 64 KiB,
     * the whole body) has been read, so a backend that fails early still gets a clean 502; later failures
     * abort the client connection (a truncated body is never presented as complete).
     */
    static final Answer STREAM = new Answer() {
        @Override
        public String onResponse(Exchange exchange, Response response) throws IOException {
            BufferedSource source = response.body().source();
            long length = response.body().contentLength();
            if (exchange.isHead() || length == 0) {
                copyHead(response, exchange.response());
                exchange.end(BufferUtil.EMPTY_BUFFER);
            } else if (length > 0 && length <= WHOLE) {
                Buffer whole = new Buffer();
                while (whole.size() < length) {
                    if (source.read(whole, length - whole.size()) == -1) {
                        throw new EOFException("the backend sent " + whole.size() + " of " + length + " bytes");
                    }
                    exchange.awaitBackend(); // the read timeout is the longest silence, not the whole body's time
                }
                byte[] body = whole.readByteArray();
                copyHead(response, exchange.response());
                exchange.awaitClient();
                exchange.end(ByteBuffer.wrap(body));
            } else {
                stream(exchange, response, source);
            }
            return response.code() / 100 + "xx";
        }

        private void stream(Exchange exchange, Response response, BufferedSource source) throws IOException {
            byte[] chunk = new byte[CHUNK];
            int read = source.read(chunk);
            copyHead(response, exchange.response());
            while (read != -1) {
                exchange.awaitClient();
                try {
                    exchange.write(ByteBuffer.wrap(chunk, 0, read));
                } catch (IOException ex) {
                    throw new ClientSide(ex);
                }
                exchange.awaitBackend();
                read = source.read(chunk);
            }
            exchange.end(BufferUtil.EMPTY_BUFFER);
        }

        @Override
        public void onFailure(Exchange exchange, BackendFailure failure) {
            exchange.error(failure.status(), failure.message());
        }
    };

    /** The client sent more than FRONTEND_MAX_BODY_BYTES. */
    public static final class BodyTooLarge extends IOException {
        BodyTooLarge(long max) {
            super("The request body is larger than " + max + " bytes.");
        }
    }

    /**
     * Reads and drops a refused body that is already on its way (declared up to 4 times the limit), so the
     * 413 reaches the client: closing a connection with unread bytes makes the kernel send a reset, which
     * can destroy the answer before the client reads it. Larger or not-yet-sent (Expect: 100-continue)
     * bodies are not waited for.
     */
    private void discardBody(Request request) {
        long declared = request.getLength();
        if (declared > 4 * maxBodyBytes || request.getHeaders().contains(HttpHeader.EXPECT)) {
            return;
        }
        try {
            withIdleTimeout(request, readTimeoutMs,
                    () -> Content.Source.asInputStream(request).transferTo(OutputStream.nullOutputStream()));
        } catch (IOException ex) {
            // the client went away or stalled: nothing left to protect
        }
    }

    /** Runs a read of the client's body with Jetty's connection idle timeout lowered to {@code idleMs}. */
    static void withIdleTimeout(Request request, int idleMs, BodyRead read) throws IOException {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        long idle = endPoint.getIdleTimeout();
        endPoint.setIdleTimeout(Math.min(idle, idleMs));
        try {
            read.run();
        } finally {
            endPoint.setIdleTimeout(idle);
        }
    }

    interface BodyRead {
        void run() throws IOException;
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

    /** Reading from or writing to the client failed (it went away), not the backend. */
    static final class ClientSide extends IOException {
        ClientSide(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The client's body, passed to the backend as it arrives (one-shot: never buffered whole). */
    private static final class ClientBody extends RequestBody {
        private final Exchange exchange;
        private final Request request;
        private final long length;
        private final long max;
        private final int idleMs;
        private final MediaType type;

        ClientBody(Exchange exchange, long length, long max, int idleMs) {
            this.exchange = exchange;
            this.request = exchange.request();
            this.length = length;
            this.max = max;
            this.idleMs = idleMs;
            String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            this.type = contentType == null ? null : MediaType.parse(contentType);
        }

        @Override
        public MediaType contentType() {
            return type;
        }

        @Override
        public long contentLength() {
            return length;
        }

        @Override
        public boolean isOneShot() {
            return true;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            // A client that stops sending mid-body would hold a thread and a backend slot until Jetty's
            // 30 s connection idle timeout; while its body streams, it gets the backend read timeout.
            withIdleTimeout(request, idleMs, () -> copy(sink));
        }

        private void copy(BufferedSink sink) throws IOException {
            byte[] buffer = new byte[CHUNK];
            long total = 0;
            InputStream in = Content.Source.asInputStream(request);
            while (true) {
                int n;
                exchange.awaitClient();
                try {
                    n = in.read(buffer);
                } catch (IOException ex) {
                    throw new ClientSide(ex);
                }
                exchange.awaitBackend();
                if (n < 0) {
                    return;
                }
                total += n;
                if (total > max) {
                    throw new BodyTooLarge(max);
                }
                sink.write(buffer, 0, n);
            }
        }
    }
}
