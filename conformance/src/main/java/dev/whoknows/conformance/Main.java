package dev.whoknows.conformance;

import java.util.List;

/** {@code java -jar conformance.jar [options] BASE_URL}; see {@code --help}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // the schema validator logs through slf4j-simple: only its errors (it warns about the OpenAPI keywords it does
        // not validate)
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        System.exit(Conformance.main(List.of(args), System.out, System.err));
    }
}
