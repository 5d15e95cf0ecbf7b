package dev.whoknows.conformance.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.whoknows.conformance.contract.Contract;
import dev.whoknows.conformance.contract.Contract.Operation;
import dev.whoknows.conformance.http.Exchange;
import dev.whoknows.conformance.http.Request;
import java.util.List;

/** The read-only operations: health, search in both languages, weather. */
final class ReadChecks {
    private ReadChecks() {}

    static final class Health extends Check {
        Health() {
            super("health", "GET /api/health answers 200 (what monitoring and orchestrators probe)");
        }

        @Override
        public int plannedRequests() {
            return 1;
        }

        @Override
        public void run(Run run) {
            Exchange answer = run.send(Request.get("/api/health").json().build());
            if (run.answered(answer) && answer.status() != 200) {
                run.fail("expected status 200, got " + answer.status(), answer);
            }
        }
    }

    static final class Search extends Check {
        private final Operation operation;

        Search(Contract contract) {
            super(
                    "search",
                    "GET /api/search in en, in da and without a language: 200 with the `data` envelope"
                            + " (SearchResponse); results that name their language carry the one asked for");
            operation = contract.operation("GET", "/api/search").orElseThrow();
        }

        @Override
        public int plannedRequests() {
            return 3;
        }

        @Override
        public void run(Run run) {
            search(run, "/api/search?q=python&language=en", "en");
            search(run, "/api/search?q=" + Samples.encode("københavn") + "&language=da", "da");
            search(run, "/api/search?q=python", null);
        }

        private void search(Run run, String target, String language) {
            Exchange answer = run.send(Request.get(target)
                    .json()
                    .label(language == null ? "no language" : "language " + language)
                    .build());
            if (!run.expect(answer, operation, 200) || language == null) {
                return;
            }
            for (JsonNode item : Run.json(answer).path("data")) {
                JsonNode got = item.path("language");
                if (got.isTextual() && !got.asText().equals(language)) {
                    run.fail("a result has language '" + got.asText() + "', asked for '" + language + "'", answer);
                    return;
                }
            }
        }
    }

    static final class Weather extends Check {
        private final Operation operation;

        Weather(Contract contract) {
            super("weather", "GET /api/weather: 200 with the `data` envelope (StandardResponse)");
            operation = contract.operation("GET", "/api/weather").orElseThrow();
        }

        @Override
        public int plannedRequests() {
            return 1;
        }

        @Override
        public void run(Run run) {
            run.expect(run.send(Request.get("/api/weather").json().build()), operation, 200);
        }
    }

    static List<Check> all(Contract contract) {
        return List.of(new Health(), new Search(contract), new Weather(contract));
    }
}
