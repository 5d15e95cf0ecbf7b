package dev.whoknows.testsupport.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server that must never be contacted ("elsewhere" in the corpus): it records every TCP
 * connection and the first bytes it got, so a row that escapes to another host fails loudly.
 */
public final class Tripwire implements AutoCloseable {

    private final ServerSocket server;
    private final List<String> hits = new CopyOnWriteArrayList<>();

    public Tripwire() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tripwire");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String hostPort() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    public List<String> hits() {
        return List.copyOf(hits);
    }

    private void accept() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(200);
                byte[] first = new byte[200];
                int n = 0;
                try {
                    InputStream in = socket.getInputStream();
                    n = Math.max(0, in.read(first));
                } catch (IOException e) {
                    // nothing sent: the connection itself is the hit
                }
                hits.add(new String(first, 0, n, StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
