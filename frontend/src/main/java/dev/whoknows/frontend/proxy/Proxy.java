package dev.whoknows.frontend.proxy;

import dev.whoknows.frontend.FrontendConfig;
import dev.whoknows.frontend.Responses;
import dev.whoknows.frontend.ops.Metrics;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Forwards a request to BACKEND_URL with OkHttp, streaming both bodies, and maps backend failures
 * to {"statusCode":N,"message":"..."} answers.
 */
public final class Proxy {

    /** What to do with the backend's answer; the plain proxy streams it, forms/ turns it into a redirect. */
    public interface Answer {
        /** @return the outcome label for metrics, e.g. "2xx" */
        String onResponse(Context ctx, Response response) throws IOException;

        void onFailure(Context ctx, BackendFailure failure);
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
    /** Jetty's response header buffer is twice this (FrontendApp), leaving room for our own headers. */
    public static final int MAX_BACKEND_HEADER_BYTES = 8 * 1024;
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Logger LOG = LoggerFactory.getLogger(Proxy.class);

    private final OkHttpClient client;
    /** Same client without pooling, for one-shot bodies (see forward). */
    private final OkHttpClient freshConnections;
    private final Target target;
    private final Metrics metrics;
    private final Semaphore permits;
    private final long maxBodyBytes;
    private final int bodyIdleMs;

    public Proxy(FrontendConfig config, OkHttpClient client, Metrics metrics) {
        this.client = client;
        this.freshConnections = client.newBuilder().connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
        this.target = new Target(config.backendUrl());
        this.metrics = metrics;
        this.permits = new Semaphore(config.maxProxyRequests());
        this.maxBodyBytes = config.maxBodyBytes();
        this.bodyIdleMs = config.readTimeoutMs();
    }

    /** Plain proxy: the backend's status, headers and body go to the client as they arrive. */
    public void handle(Context ctx) {
        forward(ctx, STREAM);
    }

    public void forward(Context ctx, Answer answer) {
        Responses.routeClass(ctx, "proxy");
        Request request;
        try {
            request = build(ctx);
        } catch (Target.Rejected ex) {
            Responses.routeClass(ctx, "api");
            LOG.info("rejected {} {} rid={}: {}", ctx.req().getMethod(), ctx.path(), Responses.requestId(ctx), ex.getMessage());
            Responses.error(ctx, 400, "Bad request target: " + ex.getMessage());
            return;
        } catch (BodyTooLarge ex) {
            Responses.routeClass(ctx, "api");
            discardBody(ctx.req());
            ctx.header("Connection", "close");
            Responses.error(ctx, 413, ex.getMessage());
            return;
        }
        if (!permits.tryAcquire()) {
            ctx.header("Retry-After", "1");
            Responses.error(ctx, 503, "The frontend is handling too many backend requests. Please try again in a moment.");
            return;
        }
        metrics.proxyStarted();
        long start = System.nanoTime();
        String outcome = "client_error";
        // A streamed body cannot be replayed, so OkHttp cannot retry it when a pooled connection turns
        // out to be dead (backend restarted): such requests always get a new connection.
        boolean oneShot = request.body() != null && request.body().isOneShot();
        Call call = (oneShot ? freshConnections : client).newCall(request);
        try (Response response = call.execute()) {
            outcome = answer.onResponse(ctx, response);
        } catch (IOException ex) {
            outcome = failed(ctx, answer, ex);
        } finally {
            permits.release();
            metrics.proxyEnded();
            metrics.proxied(outcome, System.nanoTime() - start);
        }
    }

    private String failed(Context ctx, Answer answer, IOException ex) {
        BodyTooLarge tooLarge = find(ex, BodyTooLarge.class);
        if (tooLarge != null) {
            if (!ctx.res().isCommitted()) {
                resetKeepingId(ctx);
                ctx.header("Connection", "close");
                Responses.error(ctx, 413, tooLarge.getMessage());
            }
            return "client_error";
        }
        ClientSide client = find(ex, ClientSide.class);
        if (client != null) {
            LOG.debug("client went away during {} {} rid={}: {}", ctx.req().getMethod(), ctx.path(),
                    Responses.requestId(ctx), client.getMessage());
            if (!ctx.res().isCommitted()) {
                resetKeepingId(ctx);
                Responses.error(ctx, 400, "The request body could not be read.");
            }
            return "client_error";
        }
        BackendFailure failure = BackendFailure.of(ex);
        metrics.backendError(failure.kind());
        if (ctx.res().isCommitted()) {
            LOG.warn("backend {} after the response started: {} {} rid={}: {}; aborting the client connection",
                    failure.kind(), ctx.req().getMethod(), ctx.path(), Responses.requestId(ctx), ex.toString());
            abort(ctx, ex);
        } else {
            LOG.warn("backend {}: {} {} -> {} rid={}: {}", failure.kind(), ctx.req().getMethod(), ctx.path(),
                    failure.status(), Responses.requestId(ctx), ex.toString());
            resetKeepingId(ctx);
            answer.onFailure(ctx, failure);
        }
        return failure.kind();
    }

    /** The backend request for ctx: same method, path, raw query, body and end-to-end headers. */
    public Request build(Context ctx) throws Target.Rejected, BodyTooLarge {
        HttpServletRequest req = ctx.req();
        HttpUrl url = target.of(ctx);
        String method = req.getMethod().toUpperCase(Locale.ROOT);
        long length = req.getContentLengthLong();
        if (length > maxBodyBytes) {
            throw new BodyTooLarge(maxBodyBytes);
        }
        boolean hasBody = length > 0 || req.getHeader("Transfer-Encoding") != null;
        RequestBody body = null;
        if (hasBody && !method.equals("GET") && !method.equals("HEAD")) {
            body = new StreamingBody(req, length, maxBodyBytes, bodyIdleMs);
        } else if (BODY_REQUIRED.contains(method)) {
            body = RequestBody.create(new byte[0], null);
        }
        return new Request.Builder()
                .url(url)
                .headers(requestHeaders(ctx))
                .method(method, body)
                .build();
    }

    private Headers requestHeaders(Context ctx) {
        HttpServletRequest req = ctx.req();
        Set<String> listed = connectionTokens(Collections.list(req.getHeaders("Connection")));
        Headers.Builder headers = new Headers.Builder();
        for (String name : Collections.list(req.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || NOT_FORWARDED.contains(lower) || listed.contains(lower)) {
                continue;
            }
            for (String value : Collections.list(req.getHeaders(name))) {
                headers.addUnsafeNonAscii(name, value);
            }
        }
        List<String> forwardedFor = Collections.list(req.getHeaders("X-Forwarded-For"));
        String client = req.getRemoteAddr();
        headers.add("X-Forwarded-For", forwardedFor.isEmpty() ? client : String.join(", ", forwardedFor) + ", " + client);
        headers.add("X-Forwarded-Proto", req.getScheme());
        String host = req.getHeader("Host");
        if (host != null) {
            headers.add("X-Forwarded-Host", host);
        }
        headers.add("X-Request-Id", Responses.requestId(ctx));
        return headers.build();
    }

    /**
     * Copies status and end-to-end headers of a backend answer; every Set-Cookie is kept. A status or
     * header Jetty could not send on (OkHttp parses leniently) makes the answer malformed: 502.
     */
    public static void copyHead(Response response, HttpServletResponse res) throws ProtocolException {
        checkHead(response);
        res.setStatus(response.code());
        Set<String> listed = connectionTokens(response.headers("Connection"));
        for (String name : response.headers().names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || listed.contains(lower)) {
                continue;
            }
            boolean first = true;
            for (String value : response.headers(name)) {
                if (first) {
                    res.setHeader(name, value);
                    first = false;
                } else {
                    res.addHeader(name, value);
                }
            }
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
        Set<String> tokens = new HashSet<>();
        for (String value : values) {
            for (String token : value.split(",")) {
                if (!token.isBlank()) {
                    tokens.add(token.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return tokens;
    }

    /**
     * Streams the body: the first chunk is read before anything is sent, so a backend that fails at once
     * still gets a clean 502; later failures abort the client connection (a truncated body is never
     * presented as complete).
     */
    static final Answer STREAM = new Answer() {
        @Override
        public String onResponse(Context ctx, Response response) throws IOException {
            BufferedSource source = response.body().source();
            Buffer chunk = new Buffer();
            long read = source.read(chunk, CHUNK);
            copyHead(response, ctx.res());
            boolean streaming = response.header("Content-Length") == null;
            OutputStream out = ctx.res().getOutputStream();
            while (read != -1) {
                try {
                    chunk.writeTo(out);
                    if (streaming) {
                        out.flush();
                    }
                } catch (IOException ex) {
                    throw new ClientSide(ex);
                }
                read = source.read(chunk, CHUNK);
            }
            return response.code() / 100 + "xx";
        }

        @Override
        public void onFailure(Context ctx, BackendFailure failure) {
            Responses.error(ctx, failure.status(), failure.message());
        }
    };

    private static void resetKeepingId(Context ctx) {
        ctx.res().reset();
        ctx.header("X-Request-Id", Responses.requestId(ctx));
        ctx.header("X-Content-Type-Options", "nosniff");
    }

    private static void abort(Context ctx, Throwable cause) {
        ctx.attribute("wk.aborted", true);
        try {
            ServletContextRequest.getServletContextRequest(ctx.req()).getServletChannel().abort(cause);
        } catch (RuntimeException ex) {
            LOG.debug("could not abort the client connection", ex);
        }
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
    private void discardBody(HttpServletRequest req) {
        long declared = req.getContentLengthLong();
        if (declared > 4 * maxBodyBytes || req.getHeader("Expect") != null) {
            return;
        }
        try {
            withIdleTimeout(req, bodyIdleMs, () -> req.getInputStream().transferTo(OutputStream.nullOutputStream()));
        } catch (IOException ex) {
            // the client went away or stalled: nothing left to protect
        }
    }

    /** Runs a read of the client's body with Jetty's connection idle timeout lowered to {@code idleMs}. */
    static void withIdleTimeout(HttpServletRequest req, int idleMs, BodyRead read) throws IOException {
        EndPoint endPoint = ServletContextRequest.getServletContextRequest(req).getConnectionMetaData()
                .getConnection().getEndPoint();
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

    /** Reading from or writing to the client failed (it went away), not the backend. */
    static final class ClientSide extends IOException {
        ClientSide(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The client's body, passed to the backend as it arrives (one-shot: never buffered whole). */
    private static final class StreamingBody extends RequestBody {
        private final HttpServletRequest req;
        private final long length;
        private final long max;
        private final int idleMs;
        private final MediaType type;

        StreamingBody(HttpServletRequest req, long length, long max, int idleMs) {
            this.req = req;
            this.length = length;
            this.max = max;
            this.idleMs = idleMs;
            String contentType = req.getHeader("Content-Type");
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
            withIdleTimeout(req, idleMs, () -> copy(sink));
        }

        private void copy(BufferedSink sink) throws IOException {
            byte[] buffer = new byte[CHUNK];
            long total = 0;
            InputStream in;
            try {
                in = req.getInputStream();
            } catch (IOException ex) {
                throw new ClientSide(ex);
            }
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException ex) {
                    throw new ClientSide(ex);
                }
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
