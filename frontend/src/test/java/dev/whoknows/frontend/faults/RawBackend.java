package dev.whoknows.frontend.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that misbehaves on purpose, on a plain server socket: it reads one request per
 * connection and then does whatever its {@link Behaviour} says (answer late, send garbage, reset,
 * close mid-body, never answer). Also runnable as a process ({@link #main}) so a test can kill it.
 */
final class RawBackend implements AutoCloseable {

    /** What the backend does with one request; {@code head} is the request line and headers. */
    @FunctionalInterface
    interface Behaviour {
        void serve(Socket socket, String head, OutputStream out) throws Exception;
    }

    private final ServerSocket server;
    private final Behaviour behaviour;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();

    private RawBackend(ServerSocket server, Behaviour behaviour) {
        this.server = server;
        this.behaviour = behaviour;
        Thread acceptor = new Thread(this::acceptLoop, "raw-backend-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static RawBackend start(Behaviour behaviour) throws IOException {
        return start(0, behaviour);
    }

    static RawBackend start(int port, Behaviour behaviour) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        return new RawBackend(server, behaviour);
    }

    int port() {
        return server.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Requests whose head was read (their body may still be arriving). */
    int received() {
        return received.get();
    }

    /** Requests read whose connection is still open (stuck on us). */
    int inFlight() {
        return inFlight.get();
    }

    List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                Thread handler = new Thread(() -> handle(socket), "raw-backend-conn");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket socket) {
        boolean counted = false;
        try (socket) {
            String head = readUntilBlankLine(socket.getInputStream());
            if (head == null) {
                return;
            }
            requestLines.add(head.lines().findFirst().orElse(""));
            received.incrementAndGet();
            inFlight.incrementAndGet();
            counted = true;
            drainBody(socket.getInputStream(), head);
            behaviour.serve(socket, head, socket.getOutputStream());
        } catch (Exception e) {
            // the frontend gave up, or close() tore the connection down: both expected here
        } finally {
            if (counted) {
                inFlight.decrementAndGet();
            }
            open.remove(socket);
        }
    }

    /** Reads a Content-Length body, if the head announces one. */
    private static void drainBody(InputStream in, String head) throws IOException {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(line.substring(15).trim()));
            }
        }
    }

    /** The bytes up to and including the first blank line (CRLF CRLF); null on EOF before it. */
    static String readUntilBlankLine(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }

    // ---- behaviours

    /** A well-formed response after {@code delayMs}, then the connection is closed. */
    static Behaviour respond(int status, String contentType, byte[] body, long delayMs) {
        return (socket, head, out) -> {
            Thread.sleep(delayMs);
            out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                            + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
        };
    }

    /** Takes the request and never answers (until the frontend or close() drops the connection). */
    static Behaviour hang() {
        return (socket, head, out) -> {
            while (socket.getInputStream().read() >= 0) {
                // wait for the peer to give up
            }
        };
    }

    /** Writes {@code bytes} as they are, then closes (FIN) or, with {@code reset}, aborts (RST). */
    static Behaviour send(String bytes, boolean reset) {
        return (socket, head, out) -> {
            out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (reset) {
                socket.setSoLinger(true, 0);
            }
        };
    }

    /** Writes {@code bytes}, then keeps the connection open without sending anything more. */
    static Behaviour sendThenStall(String bytes) {
        return (socket, head, out) -> {
            out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            hang().serve(socket, head, out);
        };
    }

    /** Writes {@code head}, then one byte of body every {@code everyMs} for as long as the peer stays. */
    static Behaviour trickle(String head, long everyMs) {
        return (socket, unused, out) -> {
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            while (true) {
                Thread.sleep(everyMs);
                out.write(' ');
                out.flush();
            }
        };
    }

    /**
     * As a process: {@code RawBackend <port> <delayMs>} answers every request with
     * {@code {"data":[]}} after the delay, and prints READY once listening.
     */
    public static void main(String[] args) throws Exception {
        byte[] body = "{\"data\":[]}".getBytes(StandardCharsets.UTF_8);
        try (RawBackend backend =
                start(Integer.parseInt(args[0]), respond(200, "application/json", body, Long.parseLong(args[1])))) {
            System.out.println("READY " + backend.port());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
