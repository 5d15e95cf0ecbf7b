package dev.whoknows.frontend.proxy;

import dev.whoknows.frontend.edge.ErrorAnswers;
import dev.whoknows.frontend.edge.RequestInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * One request handled by the proxy, on Jetty's core API: the client's request and response, the edge's
 * {@link RequestInfo}, and the single place where it ends (Jetty's request log then logs and counts it).
 */
public final class Exchange {

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final RequestInfo info;
    private boolean ended;
    /** Times the backend call while one runs. */
    Deadlines.Watch watch;

    Exchange(Request request, Response response, Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.info = RequestInfo.of(request);
    }

    public Request request() {
        return request;
    }

    public Response response() {
        return response;
    }

    public String id() {
        return info.id();
    }

    public String method() {
        return request.getMethod();
    }

    public String path() {
        return request.getHttpURI().getPath();
    }

    public boolean isHead() {
        return HttpMethod.HEAD.is(request.getMethod());
    }

    /** The label requests are counted under in the metrics ("proxy", or "api" for answers of our own). */
    public void routeClass(String routeClass) {
        info.routeClass(routeClass);
    }

    /** The next step waits on the client (reading its body, writing to it): no backend timeout runs. */
    void awaitClient() {
        if (watch != null) {
            watch.awaitClient();
        }
    }

    /** The next step waits on the backend: its read timeout runs from now. */
    void awaitBackend() {
        if (watch != null) {
            watch.awaitBackend();
        }
    }

    boolean ended() {
        return ended;
    }

    /** Sends a complete answer of our own (only its length for HEAD) and ends the exchange. */
    public void send(int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        end(isHead() ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(body));
    }

    /** The course's error shape: {"statusCode":N,"message":"..."}. */
    public void error(int status, String message) {
        send(status, "application/json", ErrorAnswers.body(status, message));
    }

    /** Writes part of the body, waiting until it is written. */
    void write(ByteBuffer content) throws IOException {
        try (Blocker.Callback written = Blocker.callback()) {
            response.write(false, content, written);
            written.block();
        }
    }

    /** Writes the last of the body (possibly empty) and ends the exchange; the write completes on its own. */
    void end(ByteBuffer last) {
        record();
        response.write(true, last, callback);
    }

    /** Ends the exchange by cutting the client's connection: a truncated body must never look complete. */
    void abort(Throwable cause) {
        record();
        info.markAborted();
        callback.failed(cause);
    }

    /** Drops what was set for the response so far (nothing has been sent yet). */
    void reset() {
        response.reset();
        info.stamp(response.getHeaders());
    }

    boolean isCommitted() {
        return response.isCommitted();
    }

    private void record() {
        if (ended) {
            throw new IllegalStateException("exchange " + id() + " already ended");
        }
        ended = true;
    }
}
