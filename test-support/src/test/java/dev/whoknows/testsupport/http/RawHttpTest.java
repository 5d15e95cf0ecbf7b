package dev.whoknows.testsupport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.whoknows.testsupport.http.RawHttp.Outcome;
import dev.whoknows.testsupport.http.ScriptedServer.End;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** RawHttp tells a whole answer from a cut, reset, hung or garbled one: each outcome against a scripted server. */
class RawHttpTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static RawHttp.Response get(ScriptedServer server, boolean head) {
        return RawHttp.exchange("127.0.0.1", server.port(), RawHttp.get("/x", "localhost"), TIMEOUT, head);
    }

    @Test
    void aContentLengthAnswerIsCompleteWithItsHeadersAndBody() throws IOException {
        try (ScriptedServer server = new ScriptedServer(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Two: a\r\nx-two: b\r\nContent-Length: 5\r\n\r\nhello",
                End.HOLD)) {
            RawHttp.Response response = get(server, false);
            assertThat(response.outcome()).isEqualTo(Outcome.COMPLETE);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("content-type")).hasValue("text/plain");
            assertThat(response.header("X-Two")).as("the first of two").hasValue("a");
            assertThat(response.header("Missing")).isEmpty();
            assertThat(response.bodyText()).isEqualTo("hello");
            assertThat(response.wireText()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nhello");
            assertThat(response.elapsed(response.connectedAtNanos())).isPositive();
            assertThat(response.toString()).startsWith("COMPLETE 200").contains("body(5)=hello");
            assertThat(server.requests())
                    .singleElement()
                    .isEqualTo("GET /x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        }
    }

    @Test
    void aChunkedBodyIsJoinedAndItsFramingStaysOnTheWire() throws IOException {
        try (ScriptedServer server = new ScriptedServer(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n",
                End.HOLD)) {
            RawHttp.Response response = get(server, false);
            assertThat(response.outcome()).isEqualTo(Outcome.COMPLETE);
            assertThat(response.bodyText()).isEqualTo("abcde");
            assertThat(response.wireText()).endsWith("0\r\nX-Trailer: t\r\n\r\n");
        }
    }

    @Test
    void aBodyShorterThanItsLengthIsTruncated() throws IOException {
        try (ScriptedServer server =
                new ScriptedServer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhel", End.CLOSE)) {
            RawHttp.Response response = get(server, false);
            assertThat(response.outcome()).isEqualTo(Outcome.TRUNCATED);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).as("what arrived is kept").isEqualTo("hel");
        }
    }

    @Test
    void aChunkedBodyWithoutItsLastChunkIsTruncated() throws IOException {
        try (ScriptedServer server =
                new ScriptedServer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n", End.CLOSE)) {
            RawHttp.Response response = get(server, false);
            assertThat(response.outcome()).isEqualTo(Outcome.TRUNCATED);
            assertThat(response.wireText()).doesNotEndWith("0\r\n\r\n");
        }
    }

    @Test
    void anUnframedBodyIsReadToTheEnd() throws IOException {
        try (ScriptedServer server = new ScriptedServer("HTTP/1.0 200 OK\r\n\r\nall of it", End.CLOSE)) {
            RawHttp.Response response = get(server, false);
            assertThat(response.outcome()).isEqualTo(Outcome.COMPLETE);
            assertThat(response.bodyText()).isEqualTo("all of it");
        }
    }

    @Test
    void headAnd204AnswersHaveNoBodyWhateverTheirLength() throws IOException {
        try (ScriptedServer server = new ScriptedServer("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", End.HOLD)) {
            RawHttp.Response response = get(server, true);
            assertThat(response.outcome()).isEqualTo(Outcome.COMPLETE);
            assertThat(response.body()).isEmpty();
        }
        try (ScriptedServer server = new ScriptedServer("HTTP/1.1 204 No Content\r\n\r\n", End.HOLD)) {
            assertThat(get(server, false).outcome()).isEqualTo(Outcome.COMPLETE);
        }
    }

    @Test
    void aCloseBeforeAnyByteIsClosedWithoutResponse() throws IOException {
        try (ScriptedServer server = new ScriptedServer("", End.CLOSE)) {
            assertThat(get(server, false).outcome()).isEqualTo(Outcome.CLOSED_WITHOUT_RESPONSE);
        }
    }

    @Test
    void aResetIsReset() throws IOException {
        try (ScriptedServer server = new ScriptedServer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n", End.RESET)) {
            assertThat(get(server, false).outcome()).isEqualTo(Outcome.RESET);
        }
    }

    @Test
    void silenceIsATimeout() throws IOException {
        try (ScriptedServer server = new ScriptedServer("HTTP/1.1 200 OK\r\n", End.HOLD)) {
            RawHttp.Response response =
                    RawHttp.exchange("127.0.0.1", server.port(), RawHttp.get("/", "x"), Duration.ofMillis(300), false);
            assertThat(response.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(response.status()).isEqualTo(200);
        }
    }

    @Test
    void aPortNobodyListensOnIsRefused() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RawHttp.Response response = RawHttp.exchange("127.0.0.1", port, RawHttp.get("/", "x"), TIMEOUT);
        assertThat(response.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(response.toString()).contains("[");
    }

    @Test
    void garbledAnswersAreMalformed() throws IOException {
        try (ScriptedServer server = new ScriptedServer("SSH-2.0-OpenSSH\r\n\r\n", End.CLOSE)) {
            assertThat(get(server, false).outcome()).isEqualTo(Outcome.MALFORMED);
        }
        try (ScriptedServer server = new ScriptedServer("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", End.CLOSE)) {
            RawHttp.Response response = get(server, false);
            assertThat(response.outcome()).isEqualTo(Outcome.MALFORMED);
            assertThat(response.detail()).isEqualTo("no colon here");
        }
        try (ScriptedServer server =
                new ScriptedServer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", End.CLOSE)) {
            assertThat(get(server, false).outcome()).isEqualTo(Outcome.MALFORMED);
        }
    }

    @Test
    void aConnectionReadsAnswersThatArriveBackToBackEachWhole() throws IOException {
        // both answers in one write, as a server answering pipelined requests sends them: the first read
        // takes in all of it, and the second answer must come out of that read-ahead
        try (ScriptedServer server = new ScriptedServer(
                        "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno"
                                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nyes\r\n0\r\n\r\n",
                        End.CLOSE);
                RawHttp.Connection connection = RawHttp.Connection.open("127.0.0.1", server.port(), TIMEOUT)) {
            RawHttp.Response first = connection.exchange(RawHttp.get("/y", "h"), false);
            assertThat(first.outcome()).isEqualTo(Outcome.COMPLETE);
            assertThat(first.status()).isEqualTo(404);
            assertThat(first.bodyText()).isEqualTo("no");
            RawHttp.Response second = connection.next(false);
            assertThat(second.outcome()).isEqualTo(Outcome.COMPLETE);
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.bodyText()).isEqualTo("yes");
            assertThat(second.wireText()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("0\r\n\r\n");
            assertThat(connection.next(false).outcome())
                    .as("the server closed: nothing more")
                    .isEqualTo(Outcome.CLOSED_WITHOUT_RESPONSE);
            assertThat(server.requests()).singleElement().asString().startsWith("GET /y HTTP/1.1\r\n");
        }
    }

    @Test
    void aConnectionReadsTheAnswerToAHeadWithoutItsBody() throws IOException {
        try (ScriptedServer server = new ScriptedServer(
                        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 204 No Content\r\nX-N: 2\r\n\r\n",
                        End.HOLD);
                RawHttp.Connection connection = RawHttp.Connection.open("127.0.0.1", server.port(), TIMEOUT)) {
            connection.send("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            RawHttp.Response head = connection.next(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).hasValue("5");
            assertThat(head.body()).isEmpty();
            RawHttp.Response next = connection.next(false);
            assertThat(next.status()).isEqualTo(204);
            assertThat(next.header("X-N")).hasValue("2");
        }
    }

    @Test
    void aConnectionThatIsRefusedSaysSo() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        assertThatThrownBy(() -> RawHttp.Connection.open("127.0.0.1", port, TIMEOUT))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void wireTextSendsTextAndReadsHeadAsHead() throws IOException {
        try (ScriptedServer server = new ScriptedServer("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n", End.HOLD)) {
            String wire = RawHttp.wireText(server.port(), "HEAD / HTTP/1.1\r\nHost: ä\r\n\r\n", TIMEOUT);
            assertThat(wire).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n");
            assertThat(server.requests().get(0).getBytes(StandardCharsets.ISO_8859_1))
                    .as("one byte per char")
                    .contains((byte) 0xe4);
        }
    }
}
