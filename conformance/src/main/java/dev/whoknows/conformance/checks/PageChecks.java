package dev.whoknows.conformance.checks;

import dev.whoknows.conformance.contract.Contract;
import dev.whoknows.conformance.http.Exchange;
import dev.whoknows.conformance.http.Request;
import java.util.List;
import java.util.Locale;

/** With --frontend: the course simulator's page routes, and the same requests with a doubled leading slash. */
final class PageChecks {
    /** The pages the course simulator requests. */
    static final List<String> PAGES = List.of("/", "/search", "/weather", "/register", "/login");

    private PageChecks() {}

    /** The contract's path for a page (the search page is the root page). */
    static String operationOf(String page) {
        return page.equals("/search") ? "/" : page;
    }

    static void expectPage(Run run, Exchange answer) {
        if (!run.answered(answer)) {
            return;
        }
        if (answer.status() != 200) {
            run.fail("expected status 200 with the page, got " + answer.status(), answer);
            return;
        }
        String start = answer.bodyText().stripLeading().toLowerCase(Locale.ROOT);
        if (!start.startsWith("<!doctype html") && !start.startsWith("<html")) {
            run.fail("the body is not an HTML page (it does not start with <!doctype html> or <html>)", answer);
        }
    }

    static final class Pages extends Check {
        Pages() {
            super("pages", "GET " + String.join(", ", PAGES) + ": 200 with an HTML page");
        }

        @Override
        public boolean frontendOnly() {
            return true;
        }

        @Override
        public int plannedRequests() {
            return PAGES.size();
        }

        @Override
        public void run(Run run) {
            for (String page : PAGES) {
                expectPage(
                        run,
                        run.send(Request.get(page)
                                .html()
                                .operation(operationOf(page))
                                .build()));
            }
        }
    }

    static final class DoubleSlash extends Check {
        private final Contract.Operation search;

        DoubleSlash(Contract contract) {
            super(
                    "double-slash",
                    "the same pages and a search with a doubled leading slash (//login: what the"
                            + " simulator sends when a base URL ends in /) answer like the single-slash path");
            search = contract.operation("GET", "/api/search").orElseThrow();
        }

        @Override
        public boolean frontendOnly() {
            return true;
        }

        @Override
        public int plannedRequests() {
            return PAGES.size() + 1;
        }

        @Override
        public void run(Run run) {
            for (String page : PAGES) {
                expectPage(
                        run,
                        run.send(Request.get("/" + page)
                                .html()
                                .operation(operationOf(page))
                                .build()));
            }
            Exchange answer = run.send(Request.get("//api/search?q=python&language=en")
                    .json()
                    .operation("/api/search")
                    .build());
            run.expect(answer, search, 200);
        }
    }

    static List<Check> all(Contract contract) {
        return List.of(new Pages(), new DoubleSlash(contract));
    }
}
