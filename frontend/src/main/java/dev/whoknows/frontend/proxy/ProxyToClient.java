package dev.whoknows.frontend.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;
import org.eclipse.jetty.util.BufferUtil;

/** Proxy → client: the plain proxy's answer, the backend's body streamed to the client. */
final class ProxyToClient {

    private static final int CHUNK = 16 * 1024;
    /** Backend answers up to this size with a Content-Length are read whole and sent in one write. */
    private static final int WHOLE = 64 * 1024;

    private ProxyToClient() {}

    /**
     * Streams the body. Nothing is sent before the first chunk (or, for a body of known size up to 64 KiB,
     * the whole body) has been read, so a backend that fails early still gets a clean 502; later failures
     * abort the client connection (a truncated body is never presented as complete).
     */
    static final Proxy.Answer STREAM = new Proxy.Answer() {
        @Override
        public String onResponse(Exchange exchange, Response response) throws IOException {
            BufferedSource source = response.body().source();
            long length = response.body().contentLength();
            if (exchange.isHead() || length == 0) {
                BackendToProxy.copyHead(response, exchange.response());
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
                BackendToProxy.copyHead(response, exchange.response());
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
            BackendToProxy.copyHead(response, exchange.response());
            while (read != -1) {
                exchange.awaitClient();
                try {
                    exchange.write(ByteBuffer.wrap(chunk, 0, read));
                } catch (IOException ex) {
                    throw new ClientToProxy.ClientSide(ex);
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
}
