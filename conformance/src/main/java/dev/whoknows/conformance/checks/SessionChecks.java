package dev.whoknows.conformance.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.whoknows.conformance.contract.Contract;
import dev.whoknows.conformance.contract.Contract.Operation;
import dev.whoknows.conformance.http.Exchange;
import dev.whoknows.conformance.http.Payload;
import dev.whoknows.conformance.http.Request;
import java.net.HttpCookie;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The session flow: register a new user, log in (form-urlencoded), get a cookie, log out, cookie expired. */
final class SessionChecks {
    private SessionChecks() {}

    /** A 200 whose body says otherwise (statusCode 400 in an AuthResponse) is not a success. */
    static void bodyMustNotSayError(Run run, Exchange answer) {
        JsonNode code = Run.json(answer).path("statusCode");
        if (code.isInt() && code.asInt() >= 400) {
            run.fail(
                    "HTTP " + answer.status() + " but the body says statusCode " + code.asInt() + ": "
                            + Run.json(answer).path("message").asText(""),
                    answer);
        }
    }

    /** Posts the operation's form with the account's values; the answer must be 200, an AuthResponse, no error. */
    static Exchange postForm(Run run, Operation operation, Run.Account account) {
        Payload form = Samples.join(run.samples().valid(run.contract().formFields(operation), account));
        Exchange answer =
                run.send(Request.post(operation.path()).json().form(form).build());
        if (run.expect(answer, operation, 200)) {
            bodyMustNotSayError(run, answer);
        }
        return answer;
    }

    static final class Register extends Check {
        private final Operation operation;

        Register(Contract contract) {
            super("register", "POST /api/register, form-urlencoded, a new username: 200 with an AuthResponse");
            operation = contract.operation("POST", "/api/register").orElseThrow();
        }

        @Override
        public int plannedRequests() {
            return 1;
        }

        @Override
        public void run(Run run) {
            Run.Account account = run.samples().freshAccount();
            postForm(run, operation, account);
            run.account(account);
        }
    }

    static final class Login extends Check {
        private final Operation operation;

        Login(Contract contract) {
            super("login", "POST /api/login, form-urlencoded, the user just registered: 200 with an AuthResponse");
            operation = contract.operation("POST", "/api/login").orElseThrow();
        }

        @Override
        public List<String> requires() {
            return List.of("register");
        }

        @Override
        public int plannedRequests() {
            return 1;
        }

        @Override
        public void run(Run run) {
            run.login(postForm(run, operation, run.account().orElseThrow()));
        }
    }

    static final class Session extends Check {
        private final Operation operation;

        Session(Contract contract) {
            super(
                    "session",
                    "the login sets a cookie (Set-Cookie); GET /api/logout with it answers 200 with an"
                            + " AuthResponse and expires that cookie");
            operation = contract.operation("GET", "/api/logout").orElseThrow();
        }

        @Override
        public List<String> requires() {
            return List.of("login");
        }

        @Override
        public int plannedRequests() {
            return 1;
        }

        @Override
        public void run(Run run) {
            Exchange login = run.login().orElseThrow();
            List<HttpCookie> cookies = cookies(login).stream()
                    .filter(c -> !c.getValue().isEmpty() && !c.hasExpired())
                    .toList();
            if (cookies.isEmpty()) {
                run.fail(
                        "the login answered " + login.status()
                                + " but set no cookie (no Set-Cookie header with a value):"
                                + " the browser has no session to send",
                        login);
            }
            Request.Builder logout = Request.get("/api/logout").json();
            if (!cookies.isEmpty()) {
                logout.header(
                        "Cookie",
                        cookies.stream()
                                .map(c -> c.getName() + "=" + c.getValue())
                                .collect(Collectors.joining("; ")));
            }
            Exchange answer = run.send(logout.build());
            if (!run.expect(answer, operation, 200)) {
                return;
            }
            bodyMustNotSayError(run, answer);
            List<HttpCookie> after = cookies(answer);
            for (HttpCookie cookie : cookies) {
                boolean expired = after.stream()
                        .anyMatch(c -> c.getName().equals(cookie.getName()) && (c.hasExpired() || c.getMaxAge() == 0));
                if (!expired) {
                    run.fail(
                            "the logout does not expire the cookie '" + cookie.getName() + "' the login set"
                                    + " (expected Set-Cookie: " + cookie.getName()
                                    + "=; Max-Age=0 or an Expires in the past)",
                            answer);
                }
            }
        }

        /** The cookies an answer sets, with non-empty names (parsed with the JDK's HttpCookie). */
        static List<HttpCookie> cookies(Exchange answer) {
            List<HttpCookie> cookies = new ArrayList<>();
            for (String header : answer.headers("Set-Cookie")) {
                try {
                    cookies.addAll(HttpCookie.parse("Set-Cookie: " + header));
                } catch (IllegalArgumentException ignored) {
                    // an unparseable Set-Cookie sets nothing a browser would keep
                }
            }
            return cookies;
        }
    }

    static List<Check> all(Contract contract) {
        return List.of(new Register(contract), new Login(contract), new Session(contract));
    }
}
