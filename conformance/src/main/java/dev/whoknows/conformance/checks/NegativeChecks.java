package dev.whoknows.conformance.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.whoknows.conformance.contract.Contract;
import dev.whoknows.conformance.contract.Contract.Field;
import dev.whoknows.conformance.contract.Contract.Operation;
import dev.whoknows.conformance.http.Exchange;
import dev.whoknows.conformance.http.Payload;
import dev.whoknows.conformance.http.Request;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Negative cases generated from the contract's schemas: for every operation with query parameters or a
 * form body, requests with a required field missing, and requests with a field empty, oversized, badly
 * %-encoded or of the wrong type.
 */
final class NegativeChecks {
    /** Longer than any query a user types, shorter than common URL limits (8 KiB). */
    static final int OVERSIZED_QUERY = 4_000;
    /** Larger than common request-body limits (64 KiB). */
    static final int OVERSIZED_BODY = 70_000;

    private NegativeChecks() {}

    /** One generated request: the operation, what it tries, and how to build it (fresh names at run time). */
    record Case(Operation operation, String label, Function<Run, Request> request) {}

    /** The operations that take input, and how to send a request with chosen field values. */
    static List<Operation> withInput(Contract contract) {
        return contract.operations().stream()
                .filter(op -> !contract.queryParameters(op).isEmpty()
                        || !contract.formFields(op).isEmpty())
                .toList();
    }

    static boolean isForm(Contract contract, Operation op) {
        return !contract.formFields(op).isEmpty();
    }

    static List<Field> fields(Contract contract, Operation op) {
        return isForm(contract, op) ? contract.formFields(op) : contract.queryParameters(op);
    }

    /** A request to {@code op} with the valid values changed by {@code change} (remove or replace entries). */
    static Request request(
            Run run, Operation op, String label, java.util.function.Consumer<Map<String, Payload>> change) {
        Contract contract = run.contract();
        Map<String, Payload> values = new LinkedHashMap<>(
                run.samples().valid(fields(contract, op), run.samples().freshAccount()));
        change.accept(values);
        Payload encoded = Samples.join(values);
        if (isForm(contract, op)) {
            return Request.post(op.path()).json().form(encoded).label(label).build();
        }
        Payload target = Payload.of(op.path());
        if (!encoded.isEmpty()) {
            target.append("?").append(encoded);
        }
        return Request.get(target).json().label(label).build();
    }

    /** A check that sends its generated cases one by one and judges each answer. */
    abstract static class CaseCheck extends Check {
        final List<Case> cases = new ArrayList<>();

        CaseCheck(String name, String description) {
            super(name, description);
        }

        @Override
        public final int plannedRequests() {
            return cases.size();
        }

        @Override
        public final void run(Run run) {
            for (Case c : cases) {
                judge(run, c, run.send(c.request().apply(run)));
            }
        }

        abstract void judge(Run run, Case c, Exchange answer);
    }

    static final class MissingFields extends CaseCheck {
        MissingFields(Contract contract) {
            super(
                    "missing-fields",
                    "a request without a required field (and a form with no fields at all)"
                            + " answers 422 with the contract's validation-error body, not an empty one");
            for (Operation op : withInput(contract)) {
                for (Field field : fields(contract, op)) {
                    if (field.required()) {
                        String label =
                                "missing " + (isForm(contract, op) ? "field" : "parameter") + " '" + field.name() + "'";
                        cases.add(new Case(op, label, run -> request(run, op, label, v -> v.remove(field.name()))));
                    }
                }
                if (isForm(contract, op)) {
                    cases.add(new Case(op, "empty form", run -> request(run, op, "empty form", Map::clear)));
                }
            }
        }

        @Override
        void judge(Run run, Case c, Exchange answer) {
            if (!run.expect(answer, c.operation(), 422)) {
                return;
            }
            JsonNode schema = run.contract().responseSchema(c.operation(), 422);
            JsonNode body = Run.json(answer);
            boolean saysSomething = false;
            for (Iterator<String> it = schema.path("properties").fieldNames(); it.hasNext(); ) {
                JsonNode value = body.path(it.next());
                saysSomething |= !value.isMissingNode() && !value.isNull() && !(value.isArray() && value.isEmpty());
            }
            if (!saysSomething) {
                run.fail(
                        "the 422 body has none of the fields of "
                                + run.contract().schemaName(c.operation(), 422)
                                + " ("
                                + String.join(
                                        ", ", iterable(schema.path("properties").fieldNames()))
                                + "): it does not say what is wrong",
                        answer);
            }
        }
    }

    static final class BadValues extends CaseCheck {
        BadValues(Contract contract) {
            super(
                    "bad-values",
                    "fields empty, oversized, badly %-encoded or of the wrong type: never a 5xx; a"
                            + " status the contract documents (with a body that matches it) or another 4xx");
            for (Operation op : withInput(contract)) {
                boolean form = isForm(contract, op);
                for (Field field : fields(contract, op)) {
                    String name = field.name();
                    add(op, "'" + name + "' empty", v -> v.put(name, Payload.empty()));
                    int size = form ? OVERSIZED_BODY : OVERSIZED_QUERY;
                    add(
                            op,
                            "'" + name + "' oversized (" + size + " characters)",
                            v -> v.put(name, Payload.of(v.get(name).text()).repeat('x', size)));
                    if (form) {
                        add(op, "'" + name + "' with a bad %-escape", v -> v.put(name, Payload.of("ab%zz")));
                    }
                    add(op, "'" + name + "' not UTF-8 (%FF%FE)", v -> v.put(name, Payload.of("%FF%FE")));
                    add(op, "'" + name + "' twice (an array)", v -> {
                        Payload value = v.get(name);
                        v.put(
                                name,
                                Payload.of(value.text())
                                        .append("&" + Samples.encode(name) + "=")
                                        .append(value.text()));
                    });
                }
                if (form) {
                    List<String> names =
                            fields(contract, op).stream().map(Field::name).toList();
                    String json = Samples.jsonObject(names, n -> switch (names.indexOf(n) % 3) {
                        case 0 -> "12345";
                        case 1 -> "true";
                        default -> "[\"x\"]";
                    });
                    cases.add(new Case(
                            op,
                            "JSON body with the wrong types",
                            run -> Request.post(op.path())
                                    .json()
                                    .body("application/json", Payload.of(json))
                                    .label("JSON body with the wrong types")
                                    .build()));
                }
            }
        }

        private void add(Operation op, String label, java.util.function.Consumer<Map<String, Payload>> change) {
            cases.add(new Case(op, label, run -> request(run, op, label, change)));
        }

        @Override
        void judge(Run run, Case c, Exchange answer) {
            if (!run.answered(answer)) {
                return;
            }
            int status = answer.status();
            if (status >= 500) {
                run.fail("server error " + status + " on a bad request: expected a 4xx saying what is wrong", answer);
            } else if (run.contract().documentedStatuses(c.operation()).contains(status)) {
                run.valid(answer, c.operation());
            } else if (status < 400) {
                run.fail(
                        "status " + status + " is neither one the contract documents "
                                + run.contract().documentedStatuses(c.operation()) + " nor a 4xx",
                        answer);
            }
        }
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    static List<Check> all(Contract contract) {
        return List.of(new MissingFields(contract), new BadValues(contract));
    }
}
