package dev.whoknows.conformance;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The command line, parsed and checked in one place.
 *
 * @param baseUrl     the server under test, without a trailing slash
 * @param only        checks to run (empty: all)
 * @param maxTime     the whole run's time limit
 */
public record Options(
        URI baseUrl,
        boolean frontend,
        Optional<Path> report,
        double rate,
        double budgetScale,
        Set<String> only,
        Duration maxTime,
        boolean verbose,
        boolean help) {
    public static final double DEFAULT_RATE = 10;
    public static final int DEFAULT_MAX_TIME_SECONDS = 120;

    public static Options parse(List<String> args, List<String> checkNames) {
        String base = null;
        boolean frontend = false;
        Path report = null;
        double rate = DEFAULT_RATE;
        double scale = 1;
        Set<String> only = new LinkedHashSet<>();
        int maxTime = DEFAULT_MAX_TIME_SECONDS;
        boolean verbose = false;
        List<String> queue = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 2) { // --rate=5 is --rate 5
                queue.add(arg.substring(0, eq));
                queue.add(arg.substring(eq + 1));
            } else {
                queue.add(arg);
            }
        }
        for (int i = 0; i < queue.size(); i++) {
            String arg = queue.get(i);
            switch (arg) {
                case "-h", "--help" -> {
                    return new Options(null, false, Optional.empty(), rate, scale, only, Duration.ZERO, false, true);
                }
                case "--base-url" -> base = setOnce(base, value(queue, ++i, arg), "base URL");
                case "--frontend" -> frontend = true;
                case "--verbose", "-v" -> verbose = true;
                case "--report" -> report = Path.of(value(queue, ++i, arg));
                case "--rate" -> rate = number(value(queue, ++i, arg), arg, 0.01, 1000);
                case "--budget-scale" -> scale = number(value(queue, ++i, arg), arg, 0.0001, 100);
                case "--max-time" -> maxTime = (int) number(value(queue, ++i, arg), arg, 1, 3600);
                case "--only" -> {
                    value(queue, i + 1, arg);
                    while (i + 1 < queue.size()
                            && !queue.get(i + 1).startsWith("-")
                            && !queue.get(i + 1).contains("://")) {
                        for (String name : queue.get(++i).split(",", -1)) {
                            if (name.isBlank()) {
                                continue;
                            }
                            if (!checkNames.contains(name.strip())) {
                                throw new UsageException("--only: unknown check '" + name.strip()
                                        + "'; the checks are: " + String.join(", ", checkNames));
                            }
                            only.add(name.strip());
                        }
                    }
                    if (only.isEmpty()) {
                        throw new UsageException("--only needs at least one check: " + String.join(", ", checkNames));
                    }
                }
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageException("unknown option '" + arg + "' (see --help)");
                    }
                    base = setOnce(base, arg, "base URL");
                }
            }
        }
        if (base == null) {
            throw new UsageException("no base URL: give one, e.g. whoknows-conform http://localhost:5050 (see --help)");
        }
        return new Options(
                baseUrl(base),
                frontend,
                Optional.ofNullable(report),
                rate,
                scale,
                only,
                Duration.ofSeconds(maxTime),
                verbose,
                false);
    }

    private static String setOnce(String current, String value, String what) {
        if (current != null && !current.equals(value)) {
            throw new UsageException("two " + what + "s given: '" + current + "' and '" + value + "'");
        }
        return value;
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new UsageException(option + " needs a value (see --help)");
        }
        return args.get(i);
    }

    private static double number(String text, String option, double min, double max) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": not a number: '" + text + "'");
        }
        if (!(value >= min && value <= max)) {
            throw new UsageException(option + ": " + text + " is out of range (" + fmt(min) + " to " + fmt(max) + ")");
        }
        return value;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** http(s), a host, no credentials, query or fragment; a path prefix is kept, trailing slashes go. */
    static URI baseUrl(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new UsageException("base URL '" + text + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new UsageException("base URL '" + text + "' must start with http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new UsageException("base URL '" + text + "' has no host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new UsageException("base URL '" + text + "' must not carry credentials, a query or a fragment");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        return URI.create(scheme + "://" + uri.getRawAuthority() + path);
    }

    public static String help(List<String> checkLines) {
        return """
                whoknows-conform: checks a live WhoKnows backend (or frontend) against the course's API contract
                (a copy of the course's OpenAPI 3.1 document is bundled).

                usage: whoknows-conform [options] BASE_URL
                       java -jar conformance.jar --base-url http://host:5050 [options]

                  --base-url URL      the server to check (or give it as the only positional argument); the only
                                      host the tool ever sends to. A path prefix is kept; trailing slashes go.
                  --frontend          the URL is a WhoKnows frontend: also check the pages and the doubled-slash
                                      routes the course simulator sends
                  --report FILE       write a JUnit XML report (GitHub Actions, Jenkins, GitLab show it)
                  --rate N            at most N requests per second (default %s; one request at a time)
                  --budget-scale X    multiply the latency budgets by X (default 1; 0.01 tightens 10 s to 100 ms)
                  --only CHECK...     run only these checks (space- or comma-separated), plus what they need
                  --max-time SECONDS  time limit for the whole run (default %d); what is left fails as not run
                  --verbose, -v       print every request and its answer as it happens
                  --help, -h          this text

                checks (in the order they run):
                %s

                Exit code: 0 every check passed (skipped ones included), 1 findings, 2 a usage error or an
                unreachable base URL. Every failure prints the request as a curl command and the answer.
                Usernames it registers are wkc_<run>_<n>, new on every run (the contract has no delete).
                """.formatted(fmt(DEFAULT_RATE), DEFAULT_MAX_TIME_SECONDS, String.join("\n", checkLines));
    }
}
