package dev.whoknows.monitoring;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A command-line tool of Debian's packages (promtool in {@code prometheus}, amtool in
 * {@code prometheus-alertmanager}). Missing, the test is skipped with a console WARN naming the package;
 * with CI=true (or MONITORING_REQUIRE_TOOLS=true) it fails instead.
 */
record Tool(String name, String debianPackage) {
    static final Tool PROMTOOL = new Tool("promtool", "prometheus");
    static final Tool AMTOOL = new Tool("amtool", "prometheus-alertmanager");

    record Result(int exit, String output) {}

    Path require() {
        Optional<Path> found = find();
        if (found.isPresent()) {
            return found.get();
        }
        String message = name + " not found on PATH: install Debian's '" + debianPackage + "' package (apt-get install "
                + debianPackage + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))
                || "true".equalsIgnoreCase(System.getenv("MONITORING_REQUIRE_TOOLS"))) {
            fail(message + "; CI requires it");
        }
        System.out.println("WARN: " + message + "; check skipped");
        Assumptions.abort(message);
        return null;
    }

    Optional<Path> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (java.nio.file.Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(require().toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(Files.ROOT.toFile())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 120 s");
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
