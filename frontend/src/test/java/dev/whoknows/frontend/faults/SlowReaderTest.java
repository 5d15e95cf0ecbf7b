package dev.whoknows.frontend.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client on a slow link reading a large proxied answer: the backend's read timeout bounds the backend's
 * silences, not the time the client takes, so the answer arrives whole.
 */
class SlowReaderTest {

    private static final int READ_TIMEOUT_MS = 3_000;
    private static final byte[] BODY = new byte[8 * 1024 * 1024];
    private static RawBackend backend;
    private static Javalin frontend;

    @BeforeAll
    static void start() throws Exception {
        Arrays.fill(BODY, (byte) 'x');
        backend = RawBackend.start(RawBackend.respond(200, "application/octet-stream", BODY, 0));
        frontend = Harness.startFrontend(
                "http://127.0.0.1:" + backend.port(),
                Map.of("BACKEND_READ_TIMEOUT_MS", String.valueOf(READ_TIMEOUT_MS), "BACKEND_CALL_TIMEOUT_MS", "30000"));
    }

    @AfterAll
    static void stop() throws Exception {
        frontend.stop();
        backend.close();
    }

    @Test
    void aClientReadingSlowerThanTheReadTimeoutGetsTheWholeBody() throws Exception {
        long start = System.nanoTime();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", frontend.port()), 5_000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream()
                    .write(("GET /api/big HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: identity\r\n"
                                    + "Connection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            byte[] chunk = new byte[64 * 1024];
            for (int n = in.read(chunk); n != -1; n = in.read(chunk)) {
                received.write(chunk, 0, n);
                Thread.sleep(30); // about 2 MB/s at most: the 8 MB body takes longer than the read timeout
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        String text = received.toString(StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        assertThat(text).startsWith("HTTP/1.1 200 ");
        assertThat(ms)
                .as("the client read for longer than the backend read timeout")
                .isGreaterThan(READ_TIMEOUT_MS);
        assertThat(received.size() - headEnd - 4).as("body bytes received").isEqualTo(BODY.length);
    }
}
