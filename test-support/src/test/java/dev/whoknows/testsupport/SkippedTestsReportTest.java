package dev.whoknows.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs small fixture classes (nested, so Surefire does not run them itself) through a real JUnit launcher. */
class SkippedTestsReportTest {

    @Test
    void namesEachClassWithSkippedTestsOnceWithItsReasonThenCountsThem() {
        List<String> lines = run(TwoAborted.class, AllPass.class, DisabledClass.class, AbortedBeforeAll.class);

        assertThat(lines).hasSize(4);
        // one line for both aborted tests, with the first reason given (method order is JUnit's)
        assertThat(lines.get(0))
                .startsWith("[WARN] " + TwoAborted.class.getName() + " skipped 2 of 3 tests: Assumption failed: ")
                .containsAnyOf("install the tool (apt-get install x)", "another reason");
        assertThat(lines.subList(1, 4))
                .containsExactly(
                        "[WARN] " + DisabledClass.class.getName() + " skipped: not on this machine: set Y",
                        "[WARN] " + AbortedBeforeAll.class.getName()
                                + " skipped: Assumption failed: file missing: set -Dz=FILE",
                        "[WARN] 3 test classes skipped tests in this run (reasons in the WARN lines above)");
    }

    @Test
    void saysNothingWhenNothingWasSkipped() {
        assertThat(run(AllPass.class)).isEmpty();
    }

    @Test
    void anAssumptionWithoutAMessageStillGetsALine() {
        assertThat(run(AbortedSilently.class))
                .hasSize(2)
                .first()
                .asString()
                .startsWith("[WARN] " + AbortedSilently.class.getName() + " skipped 1 of 1 tests: ");
    }

    @Test
    void isRegisteredForEveryModuleThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(TestExecutionListener.class).stream())
                .anyMatch(provider -> provider.type() == SkippedTestsReport.class);
    }

    private static List<String> run(Class<?>... classes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SkippedTestsReport report = new SkippedTestsReport(new PrintStream(out, true, StandardCharsets.UTF_8));
        // without auto-registration: the service-loaded report would print these fixtures' skips to the build
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false)
                .build());
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        for (Class<?> cls : classes) {
            request.selectors(selectClass(cls));
        }
        launcher.execute(request.build(), report);
        String text = out.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\\R"));
    }

    static class TwoAborted {
        @Test
        void first() {
            Assumptions.abort("install the tool (apt-get install x)");
        }

        @Test
        void second() {
            Assumptions.assumeTrue(false, "another reason");
        }

        @Test
        void third() {}
    }

    static class AllPass {
        @Test
        void passes() {}
    }

    @Disabled("not on this machine: set Y")
    static class DisabledClass {
        @Test
        void never() {}
    }

    static class AbortedBeforeAll {
        @BeforeAll
        static void check() {
            Assumptions.assumeTrue(false, "file missing: set -Dz=FILE");
        }

        @Test
        void never() {}
    }

    static class AbortedSilently {
        @Test
        void aborts() {
            Assumptions.assumeTrue(false);
        }
    }
}
