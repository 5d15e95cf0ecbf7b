package dev.whoknows.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Renders a Kustomize directory with {@code kubectl kustomize} (offline: no cluster is asked).
 * Without kubectl on PATH the calling test is skipped with a WARN line, or fails when CI=true or
 * REQUIRE_KUBECTL=true.
 */
final class Kubectl {

    static final String INSTALL = "install kubectl 1.27 or newer (it embeds kustomize v5), e.g. the distribution's "
            + "kubectl package or the release binary from the Kubernetes project";

    private static volatile Path binary;
    private static volatile boolean warned;

    private Kubectl() {}

    /** The rendered YAML of a kustomization directory. */
    static String kustomize(Path dir) {
        Path kubectl = require();
        try {
            Process process = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                    .redirectErrorStream(false)
                    .start();
            process.getOutputStream().close();
            var stdout = process.getInputStream().readAllBytes();
            var stderr = process.getErrorStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + dir + " did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new RenderException("kubectl kustomize " + dir + " failed (exit " + process.exitValue() + "): "
                        + new String(stderr, StandardCharsets.UTF_8).strip());
            }
            return new String(stdout, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + kubectl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** kustomize refused the input (a broken kustomization, a patch that does not apply). */
    static final class RenderException extends RuntimeException {
        RenderException(String message) {
            super(message);
        }
    }

    private static Path require() {
        if (binary != null) {
            return binary;
        }
        Path found = onPath("kubectl");
        boolean required = "true".equalsIgnoreCase(System.getenv("CI"))
                || "true".equalsIgnoreCase(System.getenv("REQUIRE_KUBECTL"));
        if (found == null) {
            String message =
                    "kubectl is not on PATH: the Kubernetes manifest tests need it to render deploy/k8s; " + INSTALL;
            if (required) {
                Assertions.fail(message + " (required because "
                        + (System.getenv("CI") != null ? "CI" : "REQUIRE_KUBECTL") + " is set)");
            }
            if (!warned) {
                warned = true;
                System.out.println("WARN: SKIPPED: " + message);
            }
            Assumptions.abort(message);
        }
        checkKustomizeVersion(found);
        binary = found;
        return found;
    }

    private static void checkKustomizeVersion(Path kubectl) {
        try {
            Process process = new ProcessBuilder(kubectl.toString(), "version", "--client")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("Kustomize Version: v(\\d+)").matcher(out);
            if (m.find() && Integer.parseInt(m.group(1)) < 5) {
                Assertions.fail("kubectl at " + kubectl + " embeds kustomize v" + m.group(1)
                        + "; deploy/k8s needs v5 (labels, patches): " + INSTALL);
            }
        } catch (IOException e) {
            Assertions.fail("cannot run " + kubectl + " version --client: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : List.of(path.split(File.pathSeparator))) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
