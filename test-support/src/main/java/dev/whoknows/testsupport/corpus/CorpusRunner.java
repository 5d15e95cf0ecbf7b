package dev.whoknows.testsupport.corpus;

import dev.whoknows.testsupport.http.RawHttp;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs the bad-input corpus against one service: one dynamic test per row that has an expectation for
 * it, each request sent byte for byte ({@link RawHttp}), each answer checked by {@link BadInputChecks}
 * and then by the caller's own check (the stub: the OpenAPI contract; the frontend: what it forwarded).
 *
 * <pre>
 * &#64;TestFactory
 * Stream&lt;DynamicTest&gt; corpus() {
 *     return CorpusRunner.run(port, Corpus.Row::stub, CorpusRunner.NOWHERE, (row, answer) -&gt; ...);
 * }
 * </pre>
 */
public final class CorpusRunner {

    /**
     * What {@code ${elsewhere}} names for a service that calls no other host (the stub): an address
     * nothing listens on. A service that does call out (the frontend) passes a {@link Tripwire} instead.
     */
    public static final String NOWHERE = "127.0.0.1:1";

    /** How long one exchange may take: the 2 MB bodies on a loaded 2-core machine. */
    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** A check of one answer beyond {@link BadInputChecks}. */
    @FunctionalInterface
    public interface Check {
        void verify(Corpus.Row row, RawHttp.Response response) throws Exception;
    }

    private CorpusRunner() {}

    /**
     * @param port the service under test, on 127.0.0.1
     * @param expected the row's column for this service ({@code Corpus.Row::stub} or {@code ::frontend});
     *     rows whose column is {@code -} are left out
     * @param elsewhere host:port for {@code ${elsewhere}}
     * @param check the caller's own check of each answer, after {@link BadInputChecks#verify}
     */
    public static Stream<DynamicTest> run(
            int port, Function<Corpus.Row, Set<Integer>> expected, String elsewhere, Check check) {
        return run(port, expected, elsewhere, () -> {}, check);
    }

    /** As {@link #run(int, Function, String, Check)}, with {@code before} run before each row is sent. */
    public static Stream<DynamicTest> run(
            int port, Function<Corpus.Row, Set<Integer>> expected, String elsewhere, Runnable before, Check check) {
        String self = "127.0.0.1:" + port;
        return Corpus.load().stream()
                .filter(row -> !expected.apply(row).isEmpty())
                .map(row -> DynamicTest.dynamicTest(row.name(), () -> {
                    before.run();
                    RawHttp.Response response =
                            RawHttp.exchange("127.0.0.1", port, row.request(self, elsewhere), TIMEOUT, row.head());
                    BadInputChecks.verify(row, expected.apply(row), response);
                    check.verify(row, response);
                }));
    }
}
