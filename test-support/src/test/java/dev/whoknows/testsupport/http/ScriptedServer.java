package dev.whoknows.testsupport.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server on 127.0.0.1 that reads each request's head and answers it with fixed bytes, then ends the
 * connection as told: close it, reset it, or hold it open (for timeouts).
 */
public final class ScriptedServer implements AutoCloseable {

    /** How a connection ends after the answer was written. */
    public enum End {
        CLOSE,
        RESET,
        HOLD
    }

    private final ServerSocket server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    public ScriptedServer(String answer, End end) throws IOException {
        this(answer.getBytes(StandardCharsets.ISO_8859_1), end);
    }

    public ScriptedServer(byte[] answer, End end) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> serve(answer, end), "scripted-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The request heads received, one per connection. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void serve(byte[] answer, End end) {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            try {
                requests.add(readHead(socket.getInputStream()));
                socket.getOutputStream().write(answer);
                socket.getOutputStream().flush();
                switch (end) {
                    case CLOSE -> socket.close();
                    case RESET -> {
                        socket.setSoLinger(true, 0);
                        socket.close();
                    }
                    case HOLD -> held.add(socket);
                }
            } catch (IOException e) {
                // the client went away: the next connection
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : held) {
            socket.close();
        }
    }
}
