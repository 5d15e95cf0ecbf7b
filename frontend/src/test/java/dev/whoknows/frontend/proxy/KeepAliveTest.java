package dev.whoknows.frontend.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.frontend.TestFrontend;
import dev.whoknows.stub.StubApp;
import dev.whoknows.stub.StubConfig;
import dev.whoknows.testsupport.http.RawHttp;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One client connection carrying many requests, in front of the real stub. A proxied answer is written on
 * another thread than the one that read its request, so the connection then goes on from that thread (with
 * virtual threads, on the one that wrote the answer: FrontendApp's pool); the next request on the same
 * connection, already sent or not yet, must be read and answered like the first, whichever path answers it.
 */
class KeepAliveTest {

    static final Javalin stub = StubApp.create(
                    StubConfig.fromEnv(Map.of("BACKEND_INTERNAL_PORT", "0", "LOG_LEVEL", "warn")))
            .start();

    @RegisterExtension
    static final TestFrontend frontend =
            TestFrontend.extension().backend("http://localhost:" + stub.port()).build();

    @AfterAll
    static void stopStub() {
        stub.stop();
    }

    private static byte[] get(String target, String requestId) {
        return ("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: " + requestId + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** What each target answers on a fresh connection: the body a kept-alive connection must give too. */
    private static final List<String> TARGETS =
            List.of("/api/search?q=docker", "/static/css/style.css", "/api/search?q=the", "/login", "/api/health");

    @Test
    void oneConnectionCarriesManyRequestsOnEveryPath() throws IOException {
        try (Socket socket = new Socket("localhost", frontend.port())) {
            socket.setSoTimeout(10_000);
            for (int i = 0; i < 150; i++) {
                String target = TARGETS.get(i % TARGETS.size());
                RawHttp.Response answer = RawHttp.exchange(socket, get(target, "keep-" + i), false);
                assertThat(answer.status()).as("request %d, %s", i, target).isEqualTo(200);
                assertThat(answer.header("X-Request-Id")).as("request %d", i).contains("keep-" + i);
                assertThat(answer.header("Connection")).as("request %d", i).isEmpty();
                assertThat(answer.body()).as("request %d, %s", i, target).isNotEmpty();
                if (target.startsWith("/api/search")) {
                    assertThat(answer.bodyText()).as("request %d", i).startsWith("{\"data\":[");
                }
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheirOrder() throws IOException {
        List<String> sent = new ArrayList<>();
        byte[] all;
        try (Socket socket = new Socket("localhost", frontend.port())) {
            socket.setSoTimeout(10_000);
            // all of them in one write: each next request is already read when the one before it ends
            OutputStream out = socket.getOutputStream();
            for (int round = 0; round < 4; round++) {
                for (String target : TARGETS) {
                    String id = "pipe-" + sent.size();
                    out.write(get(target, id));
                    sent.add(id + " " + target);
                }
            }
            out.write(("GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: pipe-last\r\n"
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            sent.add("pipe-last /api/health");
            out.flush();
            all = socket.getInputStream().readAllBytes(); // the frontend closes after the last one
        }
        List<Answer> answers = Answer.parseAll(all);
        assertThat(answers).as("one answer per request, nothing more").hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            String expected = sent.get(i);
            Answer answer = answers.get(i);
            assertThat(answer.status).as(expected).isEqualTo(200);
            assertThat(answer.head)
                    .as(expected)
                    .contains("X-Request-Id: " + expected.substring(0, expected.indexOf(' ')));
            if (expected.contains("/api/search")) {
                assertThat(answer.body).as(expected).startsWith("{\"data\":[");
            }
        }
    }

    /** One answer of a pipelined run, framed by Content-Length or chunked. */
    private record Answer(int status, String head, String body) {
        private static final Pattern LENGTH = Pattern.compile("(?im)^Content-Length: (\\d+)$");

        static List<Answer> parseAll(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            List<Answer> answers = new ArrayList<>();
            int at = 0;
            while (at < text.length()) {
                int end = text.indexOf("\r\n\r\n", at);
                assertThat(end).as("a complete head at byte %d of %s", at, text).isPositive();
                String head = text.substring(at, end);
                at = end + 4;
                StringBuilder body = new StringBuilder();
                Matcher length = LENGTH.matcher(head);
                if (length.find()) {
                    body.append(text, at, at + Integer.parseInt(length.group(1)));
                    at += body.length();
                } else {
                    assertThat(head).as("framing").containsIgnoringCase("Transfer-Encoding: chunked");
                    for (int size = -1; size != 0; ) {
                        int line = text.indexOf("\r\n", at);
                        size = Integer.parseInt(text.substring(at, line).strip(), 16);
                        body.append(text, line + 2, line + 2 + size);
                        at = line + 2 + size + 2;
                    }
                }
                answers.add(new Answer(Integer.parseInt(head.substring(9, 12)), head, body.toString()));
            }
            return answers;
        }
    }
}
