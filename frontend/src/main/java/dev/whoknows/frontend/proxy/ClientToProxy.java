package dev.whoknows.frontend.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/** Client → proxy: the client's body, passed on as it arrives, within FRONTEND_MAX_BODY_BYTES. */
final class ClientToProxy {

    private static final int CHUNK = 16 * 1024;

    private final long maxBodyBytes;
    private final int readTimeoutMs;

    ClientToProxy(long maxBodyBytes, int readTimeoutMs) {
        this.maxBodyBytes = maxBodyBytes;
        this.readTimeoutMs = readTimeoutMs;
    }

    /** The client's body as a one-shot request body (a longer one fails the call with {@link BodyTooLarge}). */
    RequestBody body(Exchange exchange, long length) {
        return new ClientBody(exchange, length, maxBodyBytes, readTimeoutMs);
    }

    /** Refuses a declared length over the limit before anything is sent to the backend. */
    void checkLength(long length) throws BodyTooLarge {
        if (length > maxBodyBytes) {
            throw new BodyTooLarge(maxBodyBytes);
        }
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
    void discard(Request request) {
        long declared = request.getLength();
        if (declared > 4 * maxBodyBytes || request.getHeaders().contains(HttpHeader.EXPECT)) {
            return;
        }
        try {
            withIdleTimeout(
                    request,
                    readTimeoutMs,
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
