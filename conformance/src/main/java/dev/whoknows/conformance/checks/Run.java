package dev.whoknows.conformance.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.whoknows.conformance.contract.Contract;
import dev.whoknows.conformance.contract.Contract.Operation;
import dev.whoknows.conformance.http.BoundedClient;
import dev.whoknows.conformance.http.Exchange;
import dev.whoknows.conformance.http.Request;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a check works with while it runs: the client, the contract, the settings, what earlier checks
 * left behind (the account, the login answer), and where findings go. A problem already found by an
 * earlier check on the same operation and status is counted there, not again.
 */
public final class Run {
    /** The account the session checks create; usernames are unique per run (there is no delete). */
    public record Account(String username, String email, String password) {}

    private final BoundedClient client;
    private final Contract contract;
    private final Samples samples;
    private final double budgetScale;
    private final Consumer<Exchange> onExchange;
    private final Map<String, Finding> findingsByKey = new LinkedHashMap<>();
    private final Map<String, String> ownerByKey = new LinkedHashMap<>();
    private String current;
    private List<String> currentKeys = new ArrayList<>();
    private List<String> notes = new ArrayList<>();
    private int requestsBefore;
    private Account account;
    private Exchange login;
    private List<Exchange> judged = List.of();

    public Run(
            BoundedClient client,
            Contract contract,
            Samples samples,
            double budgetScale,
            Consumer<Exchange> onExchange) {
        this.client = client;
        this.contract = contract;
        this.samples = samples;
        this.budgetScale = budgetScale;
        this.onExchange = onExchange;
    }

    public Contract contract() {
        return contract;
    }

    public Samples samples() {
        return samples;
    }

    public double budgetScale() {
        return budgetScale;
    }

    public String baseUrl() {
        return client.baseUrl();
    }

    public Exchange send(Request request) {
        Exchange exchange = client.send(request);
        onExchange.accept(exchange);
        return exchange;
    }

    /** The answers the checks that send requests got in this run (for checks that judge them). */
    public List<Exchange> answersToJudge() {
        return judged;
    }

    void judge(List<Exchange> exchanges) {
        judged = List.copyOf(exchanges);
    }

    public Optional<Account> account() {
        return Optional.ofNullable(account);
    }

    public void account(Account value) {
        account = value;
    }

    public Optional<Exchange> login() {
        return Optional.ofNullable(login);
    }

    public void login(Exchange value) {
        login = value;
    }

    // --------------------------------------------------------------------------------------- findings

    public void fail(String problem, Exchange exchange) {
        Finding finding = new Finding(current, problem, exchange);
        String key = finding.key();
        Finding known = findingsByKey.get(key);
        if (known == null) {
            findingsByKey.put(key, finding);
            ownerByKey.put(key, current);
            currentKeys.add(key);
        } else if (ownerByKey.get(key).equals(current)) {
            findingsByKey.put(key, known.seenAgain(exchange));
        } else {
            String note = "also seen here, reported by " + ownerByKey.get(key) + ": " + finding.headline();
            if (!notes.contains(note)) {
                notes.add(note);
            }
        }
    }

    public void note(String text) {
        notes.add(text);
    }

    /**
     * The answer must have come, with one of {@code statuses}, and validate against the contract's schema
     * for that status. Records findings; true when there were none.
     */
    public boolean expect(Exchange exchange, Operation operation, Integer... statuses) {
        if (!answered(exchange)) {
            return false;
        }
        if (statuses.length > 0 && !Arrays.asList(statuses).contains(exchange.status())) {
            fail(
                    "expected "
                            + (statuses.length == 1 ? "status " + statuses[0] : "one of " + Arrays.toString(statuses))
                            + ", got " + exchange.status(),
                    exchange);
            return false;
        }
        return valid(exchange, operation);
    }

    /** The answer must validate against the contract's schema for its status. */
    public boolean valid(Exchange exchange, Operation operation) {
        List<String> problems = exchange.body().length == 0
                        && contract.mediaType(operation, exchange.status())
                                .filter(t -> t.contains("json"))
                                .isPresent()
                ? List.of("empty body, the contract documents a " + contract.schemaName(operation, exchange.status())
                        + " JSON body")
                : contract.validate(operation, exchange.status(), exchange.bodyText());
        problems.forEach(problem -> fail(problem, exchange));
        return problems.isEmpty();
    }

    public boolean answered(Exchange exchange) {
        if (!exchange.answered()) {
            fail("no answer: " + exchange.error(), exchange);
            return false;
        }
        return true;
    }

    /** The answer's body as JSON, or a missing node. */
    public static JsonNode json(Exchange exchange) {
        return Contract.parse(exchange.bodyText());
    }

    // ------------------------------------------------------------------------------- per-check state

    void begin(String check) {
        current = check;
        currentKeys = new ArrayList<>();
        notes = new ArrayList<>();
        requestsBefore = client.sent();
    }

    List<Finding> findingsOfCurrent() {
        return currentKeys.stream().map(findingsByKey::get).toList();
    }

    List<String> notesOfCurrent() {
        return List.copyOf(notes);
    }

    int requestsOfCurrent() {
        return client.sent() - requestsBefore;
    }
}
