package dev.whoknows.conformance.checks;

import dev.whoknows.conformance.contract.Contract.Field;
import dev.whoknows.conformance.http.Payload;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Valid values for the contract's fields, and fresh usernames: every username this run sends is new
 * ({@code wkc_<run>_<n>}), so a rerun never collides with an earlier run's accounts (there is no delete).
 */
public final class Samples {
    private final String runId;
    private final String password;
    private int next;

    public Samples(String runId) {
        this.runId = runId;
        this.password = "Conform-" + runId + "-pw";
    }

    public String runId() {
        return runId;
    }

    public synchronized String freshUsername() {
        return "wkc_" + runId + "_" + (++next);
    }

    public Run.Account freshAccount() {
        String username = freshUsername();
        return new Run.Account(username, username + "@example.org", password);
    }

    /** A valid value for every field; the username, email and password fields come from {@code account}. */
    public Map<String, Payload> valid(List<Field> fields, Run.Account account) {
        Map<String, Payload> values = new LinkedHashMap<>();
        for (Field field : fields) {
            values.put(
                    field.name(),
                    Payload.of(encode(
                            switch (field.name()) {
                                case "username" -> account.username();
                                case "email" -> account.email();
                                case "password", "password2" -> account.password();
                                case "q" -> "python";
                                case "language" -> "en";
                                default -> "conform";
                            })));
        }
        return values;
    }

    /** {@code a=1&b=2}; values are already encoded, so a test can put in a raw {@code %zz}. */
    public static Payload join(Map<String, Payload> encodedValues) {
        Payload out = Payload.empty();
        boolean first = true;
        for (Map.Entry<String, Payload> entry : encodedValues.entrySet()) {
            out.append(first ? "" : "&")
                    .append(encode(entry.getKey()))
                    .append("=")
                    .append(entry.getValue());
            first = false;
        }
        return out;
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A JSON object of the given fields, for the wrong-type case. */
    public static String jsonObject(List<String> names, Function<String, String> jsonValue) {
        return names.stream()
                .map(n -> "\"" + n + "\":" + jsonValue.apply(n))
                .collect(Collectors.joining(",", "{", "}"));
    }
}
