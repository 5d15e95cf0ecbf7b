package dev.whoknows.frontend.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A byte-for-byte TCP relay between the frontend and its backend that records the request line
 * of every request passing through it, so a test can see exactly what the frontend forwarded
 * (it reinterprets nothing: bodies and responses are copied as they are).
 */
final class RecordingRelay implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final List<String> requestLines = new CopyOnWriteArrayList<>();

    RecordingRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "relay-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    void clear() {
        requestLines.clear();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                daemon(() -> copyRequests(client, upstream));
                daemon(() -> copyRaw(upstream, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "relay-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private void copyRequests(Socket client, Socket upstream) {
        try {
            InputStream in = client.getInputStream();
            OutputStream out = upstream.getOutputStream();
            while (true) {
                String head = RawBackend.readUntilBlankLine(in);
                if (head == null) {
                    break;
                }
                requestLines.add(head.substring(0, head.indexOf("\r\n")));
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                String lower = head.toLowerCase(Locale.ROOT);
                if (lower.contains("\r\ntransfer-encoding: chunked")) {
                    copyChunked(in, out);
                } else {
                    int at = lower.indexOf("\r\ncontent-length:");
                    if (at >= 0) {
                        String value = lower.substring(at + 17, lower.indexOf("\r\n", at + 2))
                                .trim();
                        out.write(in.readNBytes(Integer.parseInt(value)));
                    }
                }
                out.flush();
            }
            upstream.shutdownOutput();
        } catch (IOException | RuntimeException e) {
            closeQuietly(upstream);
            closeQuietly(client);
        }
    }

    private static void copyChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String sizeLine = readLine(in);
            out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                for (String trailer = readLine(in); ; trailer = readLine(in)) {
                    out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    if (trailer.isEmpty()) {
                        return;
                    }
                }
            }
            out.write(in.readNBytes(size + 2));
        }
    }

    private static void copyRaw(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // either side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
        throw new IOException("EOF inside a chunked body");
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
