package dev.whoknows.frontend.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Metadata;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.LoggedResponse;
import com.github.tomakehurst.wiremock.junit.Stubbing;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.whoknows.testsupport.contract.ContractValidator;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The WireMock backend of the frontend's tests: WireMock's JUnit 5 extension with a serve-event listener that
 * checks every answer it serves to an {@code /api/} request against the course OpenAPI document (the stub
 * backend's copy, through {@link ContractValidator}). A test that made WireMock serve an answer off the contract
 * fails after it ran, with the request, the status and what is wrong.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final ContractCheckedWireMock backend = ContractCheckedWireMock.backend(BackendStubs::install);
 * </pre>
 *
 * <p>An answer that is off the contract on purpose (a fault, a garbage body, a made-up route for proxy
 * mechanics) says so on its stub: {@code get(...).withMetadata(offContract("why"))}. The reasons are listed in
 * the test report ({@code contract-check} entry) with the counts, so an opt-out is never a silent hole.
 *
 * <p>How an answer is judged: a route and method the document has is validated with {@link
 * ContractValidator#validateResponse} (status, JSON body) and must carry {@code Content-Type: application/json};
 * an error (4xx/5xx) on a route or method the document does not have must be the document's {@code
 * ErrorResponse}, as the stub's 404 and 405 are; a success on such a route, a fault, or a request no stub
 * matched (WireMock's own 404 page) is a violation. A trailing slash is ignored, as the stub's router does.
 * Requests outside {@code /api/} are not the API and are not checked.
 */
public final class ContractCheckedWireMock extends WireMockExtension {

    /** The stub-metadata key of {@link #offContract}. */
    public static final String OFF_CONTRACT = "offContract";

    private static final ContractValidator CONTRACT = new ContractValidator();

    /**
     * The build's console: Surefire keeps System.out and System.err in report files, but copies the forked JVM's
     * native standard error to Maven's output, where an opt-out must be seen.
     */
    private static final PrintStream CONSOLE =
            new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    private final Listener listener;
    private final Consumer<? super Stubbing> defaults;

    private ContractCheckedWireMock(
            WireMockConfiguration options, Listener listener, Consumer<? super Stubbing> defaults) {
        super(extensionOptions().options(options.extensions(listener)));
        this.listener = listener;
        this.defaults = defaults;
    }

    /** A backend on a free port with no stubs. */
    public static ContractCheckedWireMock backend() {
        return backend(wireMockConfig().dynamicPort(), stubs -> {});
    }

    /** A backend on a free port; {@code defaults} installs its stubs before every test (WireMock resets them). */
    public static ContractCheckedWireMock backend(Consumer<? super Stubbing> defaults) {
        return backend(wireMockConfig().dynamicPort(), defaults);
    }

    public static ContractCheckedWireMock backend(WireMockConfiguration options, Consumer<? super Stubbing> defaults) {
        return new ContractCheckedWireMock(options, new Listener(), defaults);
    }

    /**
     * Marks a stub whose answer is off the contract on purpose; {@code why} names the purpose and is reported.
     *
     * <pre>backend.stubFor(get(urlEqualTo("/api/broken")).withMetadata(offContract("a reset connection")) ...</pre>
     */
    public static Metadata offContract(String why) {
        if (why == null || why.isBlank()) {
            throw new IllegalArgumentException("offContract needs a reason: say why the answer leaves the contract");
        }
        return Metadata.metadata().attr(OFF_CONTRACT, why).build();
    }

    /** The listener of this backend: what it found so far. */
    public Listener contractCheck() {
        return listener;
    }

    /**
     * Stops the server in the middle of a test, for a frontend that must live without its backend; {@link
     * #restartServer} brings it back with its stubs (on the same port when the options fix one).
     */
    public void stopServer() {
        ((WireMockServer) admin).stop();
    }

    public void restartServer() {
        ((WireMockServer) admin).start();
    }

    /** Whether the server has started (its extension's before-all ran) and is not stopped. */
    public boolean isRunning() {
        return admin instanceof WireMockServer server && server.isRunning();
    }

    @Override
    protected void onBeforeAll(WireMockRuntimeInfo info) {
        listener.startCounting();
        defaults.accept(this);
    }

    @Override
    protected void onBeforeEach(ExtensionContext context, WireMockRuntimeInfo info) {
        List<String> earlier = listener.drain();
        defaults.accept(this);
        if (!earlier.isEmpty()) {
            throw new AssertionError(message(
                    "before " + context.getDisplayName() + " began (in @BeforeAll, or late for the test before)",
                    earlier));
        }
    }

    @Override
    protected void onAfterEach(ExtensionContext context, WireMockRuntimeInfo info) {
        List<String> violations = listener.drain();
        if (!violations.isEmpty()) {
            throw new AssertionError(message("during " + context.getDisplayName(), violations));
        }
    }

    @Override
    protected void onAfterAll(ExtensionContext context, WireMockRuntimeInfo info) {
        String summary = listener.summary();
        context.publishReportEntry("contract-check", summary);
        if (listener.validatedCount() + listener.optedOut().size() > 0) { // not for a server nothing reached
            CONSOLE.println("[INFO] contract check of " + context.getDisplayName() + "'s WireMock: " + summary);
        }
        List<String> late = listener.drain();
        if (!late.isEmpty()) {
            throw new AssertionError(message("after the last test", late));
        }
    }

    static String message(String when, List<String> violations) {
        StringBuilder out = new StringBuilder()
                .append("WireMock served ")
                .append(violations.size())
                .append(violations.size() == 1 ? " answer " : " answers ")
                .append(when)
                .append(" off the course contract (whoknows-course-openapi.json):");
        violations.forEach(v -> out.append("\n  - ").append(v));
        return out.append("\nMake the stub answer like the real stub backend, or mark a deliberate one with")
                .append(" .withMetadata(ContractCheckedWireMock.offContract(\"why\")).")
                .toString();
    }

    /** The serve-event listener: checks each answer just before WireMock sends it (before any delay). */
    public static final class Listener implements ServeEventListener {
        private final Queue<String> violations = new ConcurrentLinkedQueue<>();
        private final Queue<String> optedOut = new ConcurrentLinkedQueue<>();
        private final AtomicInteger validated = new AtomicInteger();

        @Override
        public String getName() {
            return "whoknows-contract-check";
        }

        @Override
        public void beforeResponseSent(ServeEvent event, Parameters parameters) {
            List<String> problems = check(event).stream().distinct().toList();
            if (!problems.isEmpty()) {
                violations.add(String.join("\n    ", problems)); // one entry per answer
            }
        }

        /** What is wrong with one served answer; empty when it keeps the contract, is opted out or is not API. */
        public List<String> check(ServeEvent event) {
            String url = event.getRequest().getUrl();
            String path = url.split("\\?", 2)[0];
            if (!path.startsWith("/api/")) {
                return List.of();
            }
            String method = event.getRequest().getMethod().getName();
            String request = method + " " + url;
            if (!event.getWasMatched()) {
                return List.of(request + ": no stub matched, so WireMock answered with its own 404 page,"
                        + " which the stub backend never sends");
            }
            String why = reason(event.getStubMapping());
            if (why != null) {
                optedOut.add(path + ": " + why);
                return List.of();
            }
            validated.incrementAndGet();
            LoggedResponse response = event.getResponse();
            if (response.getFault() != null) {
                return List.of(request + ": fault " + response.getFault() + " is no HTTP answer at all");
            }
            int status = response.getStatus();
            String route = path.length() > "/api/".length() && path.endsWith("/")
                    ? path.substring(0, path.length() - 1)
                    : path;
            List<String> problems = new ArrayList<>();
            String type = response.getHeaders().getContentTypeHeader().mimeTypePart();
            if (type == null || !type.equalsIgnoreCase("application/json")) {
                problems.add(request + " " + status + ": Content-Type is " + (type == null ? "missing" : type)
                        + ", every answer of the API is application/json");
            }
            String body = response.getBodyAsString();
            boolean documented = CONTRACT.document().path("paths").path(route).has(method.toLowerCase(Locale.ROOT));
            if (documented) {
                CONTRACT.validateResponse(route, method, status, body).forEach(p -> problems.add(request + ": " + p));
            } else if (status >= 400) {
                CONTRACT.validateSchema("ErrorResponse", body)
                        .forEach(p -> problems.add(request + " " + status + " (a route the contract lacks): " + p));
            } else {
                problems.add(request + " " + status + ": the contract has no " + method + " " + route
                        + "; only an error (the stub's ErrorResponse) can answer it");
            }
            return problems;
        }

        private static String reason(StubMapping stub) {
            Metadata metadata = stub == null ? null : stub.getMetadata();
            return metadata == null || !metadata.containsKey(OFF_CONTRACT) ? null : metadata.getString(OFF_CONTRACT);
        }

        /** Counts from zero: the summary is one test class's. */
        void startCounting() {
            validated.set(0);
            optedOut.clear();
        }

        /** The violations found since the last call. */
        public List<String> drain() {
            List<String> out = new ArrayList<>();
            for (String v = violations.poll(); v != null; v = violations.poll()) {
                out.add(v);
            }
            return out;
        }

        /** How many answers were validated and which were off the contract by choice, and why. */
        public String summary() {
            List<String> all = List.copyOf(optedOut);
            Map<String, Long> counted = all.stream()
                    .collect(Collectors.groupingBy(reason -> reason, LinkedHashMap::new, Collectors.counting()));
            return validated.get() + " API answers validated against the contract, " + all.size()
                    + " off it by choice"
                    + (all.isEmpty()
                            ? ""
                            : ": "
                                    + counted.entrySet().stream()
                                            .map(e -> e.getKey() + (e.getValue() > 1 ? " x" + e.getValue() : ""))
                                            .collect(Collectors.joining("; ")));
        }

        public int validatedCount() {
            return validated.get();
        }

        public List<String> optedOut() {
            return List.copyOf(optedOut);
        }
    }
}
