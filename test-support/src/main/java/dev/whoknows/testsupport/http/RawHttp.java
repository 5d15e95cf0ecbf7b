package dev.whoknows.testsupport.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An HTTP/1.1 client over a plain socket: the request bytes go out exactly as given (nothing
 * normalises them), and the answer is parsed strictly enough to tell a complete response from a
 * truncated one, a reset or a hang. The one raw client of every module's tests (the stub's, the frontend's fault
 * and edge suites).
 */
public final class RawHttp {

    /** How an exchange ended. */
    public enum Outcome {
        /** A whole response was read (framing satisfied, or read to EOF when unframed). */
        COMPLETE,
        /** Headers were read but the body ended early (EOF before Content-Length / last chunk). */
        TRUNCATED,
        /** The connection was closed before any response byte. */
        CLOSED_WITHOUT_RESPONSE,
        /** A TCP reset while reading. */
        RESET,
        /** Nothing (more) arrived within the timeout. */
        TIMEOUT,
        /** The TCP connection was refused. */
        REFUSED,
        /** The response could not be parsed as HTTP. */
        MALFORMED
    }

    public record Header(String name, String value) {}

    // a Response is never compared or used as a key; copying its bytes on each access would copy every answer
    @SuppressWarnings("ArrayRecordComponent")
    public record Response(
            Outcome outcome,
            int status,
            List<Header> headers,
            byte[] body,
            long connectedAtNanos,
            long endedAtNanos,
            String detail,
            byte[] wire) {

        public Optional<String> header(String name) {
            return headers.stream()
                    .filter(h -> h.name().equalsIgnoreCase(name))
                    .map(Header::value)
                    .findFirst();
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** Every byte that arrived, framing included, one char per byte (ISO-8859-1). */
        public String wireText() {
            return new String(wire, StandardCharsets.ISO_8859_1);
        }

        public Duration elapsed(long startNanos) {
            return Duration.ofNanos(endedAtNanos - startNanos);
        }

        @Override
        public String toString() {
            String text = bodyText();
            return outcome + " " + status + " " + headers + " body(" + body.length + ")="
                    + (text.length() > 300 ? text.substring(0, 300) + "..." : text)
                    + (detail == null ? "" : " [" + detail + "]");
        }
    }

    private RawHttp() {}

    /** Sends {@code request} (the body is written concurrently with reading, as a real client would). */
    public static Response exchange(String host, int port, byte[] request, Duration timeout) {
        return exchange(host, port, request, timeout, false);
    }

    public static Response exchange(String host, int port, byte[] request, Duration timeout, boolean headRequest) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            } catch (ConnectException e) {
                return failed(Outcome.REFUSED, start, e.getMessage());
            }
            long connected = System.nanoTime();
            socket.setSoTimeout((int) timeout.toMillis());
            Thread writer = new Thread(() -> write(socket, request), "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
            Response response = read(new Reader(socket.getInputStream()), connected, headRequest);
            writer.join(1000);
            return response;
        } catch (IOException | InterruptedException e) {
            return failed(Outcome.MALFORMED, start, e.toString());
        }
    }

    /**
     * One kept-alive connection: requests go out exactly as given, and its answers are read in order through
     * one buffered reader, so answers that arrive back to back (pipelined requests) are each read whole,
     * none lost in the read-ahead of the one before.
     */
    public static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final Reader reader;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.reader = new Reader(socket.getInputStream());
        }

        /** Connects to {@code host:port}; {@code timeout} bounds the connect and every read. */
        public static Connection open(String host, int port, Duration timeout) throws IOException {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
                socket.setSoTimeout((int) timeout.toMillis());
                return new Connection(socket);
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        }

        /** Writes {@code requests} (one request, or several to pipeline them) in one write. */
        public void send(byte[] requests) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(requests);
            out.flush();
        }

        /**
         * Reads the next answer ({@code headRequest}: the answer to a HEAD, which has no body); {@link
         * Outcome#CLOSED_WITHOUT_RESPONSE} when the server closed the connection instead.
         */
        public Response next(boolean headRequest) {
            return read(reader, System.nanoTime(), headRequest);
        }

        /** {@link #send} one request, then {@link #next} its answer. */
        public Response exchange(byte[] request, boolean headRequest) throws IOException {
            long sent = System.nanoTime();
            send(request);
            return read(reader, sent, headRequest);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static void write(Socket socket, byte[] request) {
        try {
            OutputStream out = socket.getOutputStream();
            int chunk = 64 * 1024;
            for (int i = 0; i < request.length; i += chunk) {
                out.write(request, i, Math.min(chunk, request.length - i));
            }
            out.flush();
        } catch (IOException e) {
            // the server may answer (e.g. 413/431) and close before the whole request is written
        }
    }

    private static Response read(Reader reader, long connected, boolean headRequest) {
        reader.startResponse();
        List<Header> headers = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int status = 0;
        Outcome outcome;
        String detail;
        try {
            String statusLine;
            try {
                statusLine = reader.line();
            } catch (EOFException e) {
                return failed(Outcome.CLOSED_WITHOUT_RESPONSE, connected, "EOF before status line");
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                return new Response(
                        Outcome.MALFORMED,
                        0,
                        headers,
                        new byte[0],
                        connected,
                        System.nanoTime(),
                        statusLine,
                        reader.wire());
            }
            status = Integer.parseInt(parts[1]);
            for (String line = reader.line(); !line.isEmpty(); line = reader.line()) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    return new Response(
                            Outcome.MALFORMED,
                            status,
                            headers,
                            new byte[0],
                            connected,
                            System.nanoTime(),
                            line,
                            reader.wire());
                }
                headers.add(new Header(
                        line.substring(0, colon).trim(),
                        line.substring(colon + 1).trim()));
            }
            Response head =
                    new Response(Outcome.COMPLETE, status, headers, new byte[0], connected, 0, null, new byte[0]);
            boolean noBody = headRequest || status / 100 == 1 || status == 204 || status == 304;
            if (noBody) {
                return new Response(
                        Outcome.COMPLETE,
                        status,
                        headers,
                        new byte[0],
                        connected,
                        System.nanoTime(),
                        null,
                        reader.wire());
            }
            if (head.header("Transfer-Encoding")
                    .map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
                    .orElse(false)) {
                while (true) {
                    String sizeLine = reader.line();
                    int semicolon = sizeLine.indexOf(';');
                    int size =
                            Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                    if (size == 0) {
                        while (!reader.line().isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    reader.bytes(size, body);
                    reader.line();
                }
            } else if (head.header("Content-Length").isPresent()) {
                reader.bytes(Long.parseLong(head.header("Content-Length").get()), body);
            } else {
                reader.rest(body);
            }
            return new Response(
                    Outcome.COMPLETE,
                    status,
                    headers,
                    body.toByteArray(),
                    connected,
                    System.nanoTime(),
                    null,
                    reader.wire());
        } catch (EOFException e) {
            outcome = status == 0 ? Outcome.CLOSED_WITHOUT_RESPONSE : Outcome.TRUNCATED;
            detail = "EOF";
        } catch (SocketTimeoutException e) {
            outcome = Outcome.TIMEOUT;
            detail = e.toString();
        } catch (SocketException e) {
            outcome = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("reset")
                    ? Outcome.RESET
                    : Outcome.MALFORMED;
            detail = e.toString();
        } catch (IOException | RuntimeException e) {
            outcome = Outcome.MALFORMED;
            detail = e.toString();
        }
        // the exchange ended early: what arrived so far, with how it ended
        return new Response(
                outcome, status, headers, body.toByteArray(), connected, System.nanoTime(), detail, reader.wire());
    }

    private static Response failed(Outcome outcome, long connected, String detail) {
        return new Response(outcome, 0, List.of(), new byte[0], connected, System.nanoTime(), detail, new byte[0]);
    }

    /**
     * Sends {@code request} (ASCII/ISO-8859-1 text) to {@code localhost:port} and returns every byte of the
     * answer as text ({@link Response#wireText}); a HEAD request is read as one. For tests that assert on
     * the wire format itself.
     */
    public static String wireText(int port, String request, Duration timeout) {
        return exchange(
                        "localhost",
                        port,
                        request.getBytes(StandardCharsets.ISO_8859_1),
                        timeout,
                        request.startsWith("HEAD "))
                .wireText();
    }

    /** A GET with Host and Connection: close, as ASCII bytes. */
    public static byte[] get(String target, String hostHeader) {
        return ("GET " + target + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final class Reader {
        private final InputStream in;
        private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
        private final byte[] buffer = new byte[8192];
        private int pos;
        private int limit;

        Reader(InputStream in) {
            this.in = in;
        }

        private boolean fill() throws IOException {
            if (pos < limit) {
                return true;
            }
            int n = in.read(buffer);
            if (n < 0) {
                return false;
            }
            wire.write(buffer, 0, n);
            pos = 0;
            limit = n;
            return true;
        }

        /**
         * A next answer begins: its wire bytes are those read ahead of it, then whatever arrives (so an
         * answer's wire may end with the start of the next one, read with it).
         */
        void startResponse() {
            wire.reset();
            wire.write(buffer, pos, limit - pos);
        }

        byte[] wire() {
            return wire.toByteArray();
        }

        String line() throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                if (!fill()) {
                    throw new EOFException();
                }
                char c = (char) (buffer[pos++] & 0xff);
                if (c == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append(c);
                if (line.length() > 1 << 20) {
                    throw new IOException("line too long");
                }
            }
        }

        /** Appends {@code count} bytes to {@code out}; what arrived before an EOF stays there. */
        void bytes(long count, ByteArrayOutputStream out) throws IOException {
            for (long left = count; left > 0; ) {
                if (!fill()) {
                    throw new EOFException();
                }
                int n = (int) Math.min(left, limit - pos);
                out.write(buffer, pos, n);
                pos += n;
                left -= n;
            }
        }

        void rest(ByteArrayOutputStream out) throws IOException {
            while (fill()) {
                out.write(buffer, pos, limit - pos);
                pos = limit;
            }
        }
    }
}
