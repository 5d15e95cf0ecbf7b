package dev.whoknows.stub.accounts;

import static dev.whoknows.stub.TestStub.form;
import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.stub.TestStub;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * slf4j-simple writes to System.err: capture it while accounts are used in every way, then look for
 * the passwords and session ids in what was logged.
 */
class NoSecretsInLogsTest {

    @Test
    void passwordsAndSessionIdsNeverReachTheLog() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        List<String> secrets = new ArrayList<>();
        System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        try (TestStub stub = new TestStub()) {
            String password = "Tr0ub4dor&3-secret";
            secrets.add(password);
            secrets.add("Wrong-Guess-9876");
            secrets.add("json-secret-5555");
            stub.register("logcheck", password);
            stub.register("logcheck", password); // taken
            stub.postForm(
                    "/api/register",
                    form(
                            "username",
                            "mismatch",
                            "email",
                            "m@x.dk",
                            "password",
                            "mismatch-secret-1",
                            "password2",
                            "mismatch-secret-2"));
            secrets.add("mismatch-secret-1");
            secrets.add("mismatch-secret-2");
            stub.login("logcheck", "Wrong-Guess-9876");
            stub.post(
                    "/api/login", "application/json", "{\"username\":\"logcheck\",\"password\":\"json-secret-5555\"}");
            stub.login("nobody", password);
            String first = stub.login("logcheck", password).sessionCookie().orElseThrow();
            String second = stub.login("logcheck", password, "Cookie", "session=" + first)
                    .sessionCookie()
                    .orElseThrow();
            secrets.add(first);
            secrets.add(second);
            stub.get("/api/session", "Cookie", "session=" + second, "X-Request-Id", "req-42");
            stub.get("/api/logout", "Cookie", "session=" + second);
            for (int i = 0; i < 6; i++) {
                stub.login("logcheck", "Wrong-Guess-9876");
            }
            stub.post("/api/login", "application/json", "{\"password\":\"json-secret-5555\",");
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        // the capture works and our account events are in it (otherwise this test could not fail)
        assertThat(log)
                .contains("registered user 'logcheck'")
                .contains("user 'logcheck' logged in")
                .contains("wrong password")
                .contains("POST /api/login 429")
                .contains("GET /api/session 200")
                .contains("rid=req-42");
        for (String secret : secrets) {
            assertThat(log).as("log must not contain %s", secret).doesNotContain(secret);
        }
    }

    /** Writes to the console as before and into the capture buffer. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
