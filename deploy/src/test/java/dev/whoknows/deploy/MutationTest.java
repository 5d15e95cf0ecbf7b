package dev.whoknows.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checks fail on a broken manifest: each case copies deploy/k8s, breaks one thing in the copy (a text
 * replacement that must match exactly once), renders the overlay and expects a problem naming the breakage.
 */
@Execution(ExecutionMode.CONCURRENT)
class MutationTest {

    @RegisterExtension
    static final LiveApps apps = new LiveApps();

    static Stream<Arguments> mutations() {
        String fe = "base/frontend.yaml";
        String be = "base/backend-stub.yaml";
        return Stream.of(
                // selectors
                arguments(
                        "Service selector",
                        "prod",
                        fe,
                        "  selector:\n    app.kubernetes.io/name: frontend\n  ports:",
                        "  selector:\n    app.kubernetes.io/name: web\n  ports:",
                        "Service/frontend: selector"),
                arguments(
                        "Deployment selector",
                        "prod",
                        fe,
                        "      app.kubernetes.io/name: frontend\n  strategy:",
                        "      app.kubernetes.io/name: web\n  strategy:",
                        "Deployment/frontend: spec.selector"),
                arguments(
                        "PDB selector",
                        "prod",
                        fe,
                        "  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: frontend",
                        "  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: backend-stub",
                        "PodDisruptionBudget/frontend: selector"),
                arguments(
                        "NetworkPolicy peer",
                        "prod",
                        be,
                        "            matchLabels:\n              app.kubernetes.io/name: frontend",
                        "            matchLabels:\n              app.kubernetes.io/name: backend-stub",
                        "is not just the frontend's pods"),
                // ports
                arguments(
                        "Service targetPort",
                        "prod",
                        fe,
                        "      port: 80\n      targetPort: http",
                        "      port: 80\n      targetPort: 8081",
                        "targetPort 8081 is not a container port"),
                arguments(
                        "containerPort",
                        "prod",
                        fe,
                        "containerPort: 8080",
                        "containerPort: 8081",
                        "no containerPort 8080"),
                arguments(
                        "probe port",
                        "prod",
                        fe,
                        "              port: http\n            periodSeconds: 2",
                        "              port: 9090\n            periodSeconds: 2",
                        "startupProbe port 9090 is not a declared container port"),
                arguments(
                        "NetworkPolicy port",
                        "prod",
                        be,
                        "          port: 5050",
                        "          port: 5051",
                        "are not just the stub's port 5050"),
                arguments(
                        "Ingress service port",
                        "prod",
                        "base/ingress.yaml",
                        "                  name: http",
                        "                  name: web",
                        "has no port web"),
                arguments(
                        "BACKEND_URL",
                        "prod",
                        "base/frontend.env",
                        "BACKEND_URL=http://backend:5050",
                        "BACKEND_URL=http://backend-stub:5050",
                        "names no Service"),
                // probe paths, asked of the real apps
                arguments(
                        "readiness path",
                        "prod",
                        fe,
                        "path: /api/ready",
                        "path: /api/readyz",
                        "readinessProbe path /api/readyz answers 404"),
                arguments(
                        "liveness path",
                        "dev",
                        be,
                        "              path: /api/health\n              port: http\n            periodSeconds: 10",
                        "              path: /health\n              port: http\n            periodSeconds: 10",
                        "livenessProbe path /health answers 404"),
                arguments(
                        "scrape path",
                        "prod",
                        fe,
                        "prometheus.io/path: /api/metrics",
                        "prometheus.io/path: /metrics",
                        "prometheus.io/path /metrics answers 404"),
                // images
                arguments(
                        "image name",
                        "prod",
                        fe,
                        "image: whoknows/frontend\n",
                        "image: whoknows/web\n",
                        "is none of the images docker-compose.yml names"),
                arguments(
                        "overlay image name",
                        "prod",
                        "overlays/prod/kustomization.yaml",
                        "newName: registry.example.com/whoknows/frontend",
                        "newName: registry.example.com/whoknows/web",
                        "is none of the images docker-compose.yml names"),
                arguments(
                        "overlay image entry",
                        "prod",
                        "overlays/prod/kustomization.yaml",
                        "  - name: whoknows/frontend\n",
                        "  - name: whoknows/frontend-app\n",
                        "must come from a registry with a pinned tag"),
                // security
                arguments(
                        "allowPrivilegeEscalation",
                        "prod",
                        fe,
                        "allowPrivilegeEscalation: false",
                        "allowPrivilegeEscalation: true",
                        "allowPrivilegeEscalation is not false"),
                arguments(
                        "capabilities",
                        "prod",
                        be,
                        "drop: [ALL]",
                        "drop: [NET_RAW]",
                        "capabilities.drop does not contain ALL"),
                arguments(
                        "readOnlyRootFilesystem",
                        "dev",
                        be,
                        "readOnlyRootFilesystem: true",
                        "readOnlyRootFilesystem: false",
                        "readOnlyRootFilesystem is not true"),
                arguments(
                        "runAsUser",
                        "prod",
                        fe,
                        "            runAsUser: 10001",
                        "            runAsUser: 0",
                        "runAsUser is 0, expected 10001"),
                arguments(
                        "runAsNonRoot",
                        "prod",
                        fe,
                        "            runAsNonRoot: true",
                        "            runAsNonRoot: false",
                        "runAsNonRoot is not true"),
                arguments(
                        "seccomp",
                        "prod",
                        fe,
                        "            seccompProfile:\n              type: RuntimeDefault",
                        "            seccompProfile:\n              type: Unconfined",
                        "seccompProfile is not RuntimeDefault"),
                arguments(
                        "/tmp volume",
                        "prod",
                        fe,
                        "mountPath: /tmp",
                        "mountPath: /var/tmp",
                        "/tmp is not an emptyDir volume"),
                // unknown fields and types: the model refuses them
                arguments(
                        "unknown field",
                        "prod",
                        fe,
                        "  revisionHistoryLimit: 5",
                        "  revisionHistoryLimits: 5",
                        "Deployment/frontend: unknown field .spec.revisionHistoryLimits"),
                arguments(
                        "unknown container field",
                        "dev",
                        be,
                        "imagePullPolicy: IfNotPresent",
                        "imagePullPolicey: IfNotPresent",
                        "unknown field .spec.template.spec.containers[0].imagePullPolicey"),
                arguments(
                        "wrong type",
                        "prod",
                        fe,
                        "  replicas: 2\n",
                        "  replicas: two\n",
                        "Deployment/frontend: does not fit the Deployment model"),
                // environment
                arguments(
                        "unknown variable",
                        "prod",
                        "base/frontend.env",
                        "STATIC_DIR=/app/static\n",
                        "STATIC_DIR=/app/static\nBACKEND_TIMEOUT_MS=5000\n",
                        "environment variable BACKEND_TIMEOUT_MS is not read by the frontend's config"),
                arguments(
                        "refused value",
                        "prod",
                        "base/backend-stub.env",
                        "LOG_LEVEL=info",
                        "LOG_LEVEL=verbose",
                        "the stub's config refuses its environment: LOG_LEVEL"),
                // shutdown
                arguments(
                        "grace period",
                        "prod",
                        fe,
                        "terminationGracePeriodSeconds: 20",
                        "terminationGracePeriodSeconds: 10",
                        "terminationGracePeriodSeconds 10 is not above"),
                arguments(
                        "shutdown timeout",
                        "prod",
                        "base/frontend.env",
                        "FRONTEND_SHUTDOWN_TIMEOUT_MS=8000",
                        "FRONTEND_SHUTDOWN_TIMEOUT_MS=18000",
                        "is not above the shutdown timeout (18000 ms)"),
                arguments(
                        "preStop",
                        "prod",
                        be,
                        "            preStop:\n              sleep:\n                seconds: 5",
                        "            preStop:\n              sleep:\n                seconds: 0",
                        "no preStop sleep"),
                // scaling and updates
                arguments(
                        "maxUnavailable",
                        "prod",
                        fe,
                        "maxUnavailable: 0",
                        "maxUnavailable: 1",
                        "RollingUpdate with maxUnavailable 0"),
                arguments("prod replicas", "prod", fe, "  replicas: 2\n", "  replicas: 1\n", "1 replica(s) in prod"),
                arguments("HPA minimum", "prod", fe, "minReplicas: 2", "minReplicas: 1", "minReplicas 1 in prod"),
                arguments(
                        "HPA target",
                        "prod",
                        fe,
                        "    kind: Deployment\n    name: frontend",
                        "    kind: Deployment\n    name: web",
                        "scaleTargetRef"),
                arguments(
                        "dev HPA bounds",
                        "dev",
                        "overlays/dev/kustomization.yaml",
                        "        path: /spec/maxReplicas\n        value: 2",
                        "        path: /spec/maxReplicas\n        value: 0",
                        "minReplicas 1 above maxReplicas 0"),
                arguments("stub replicas", "prod", be, "  replicas: 1\n", "  replicas: 2\n", "exactly 1"),
                // resources
                arguments(
                        "memory limit",
                        "prod",
                        be,
                        "            limits:\n              cpu: \"1\"\n              memory: 256Mi",
                        "            limits:\n              cpu: \"1\"\n              memory: 512Mi",
                        "differs from docker-compose.yml's mem_limit (256 MiB)"),
                arguments(
                        "memory request",
                        "prod",
                        fe,
                        "              cpu: 250m\n              memory: 256Mi",
                        "              cpu: 250m\n              memory: 128Mi",
                        "memory request 128Mi is not the limit"),
                arguments("CPU request", "prod", fe, "              cpu: 250m\n", "", "no CPU request"));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("mutations")
    void theChecksFailOnABrokenManifest(
            String what, String overlay, String file, String from, String to, String expected, @TempDir Path tmp)
            throws IOException {
        Path copy = tmp.resolve("k8s");
        copyTree(Repo.k8s(), copy);
        Path target = copy.resolve(file);
        String text = Files.readString(target);
        assertThat(occurrences(text, from))
                .as("the mutation's text in " + file + ": " + from)
                .isEqualTo(1);
        Files.writeString(target, text.replace(from, to));

        List<String> problems = Checks.run(
                Manifests.parse(Kubectl.kustomize(copy.resolve("overlays").resolve(overlay))),
                Checks.Profile.of(overlay),
                apps::status);

        assertThat(problems)
                .as("problems found after breaking " + what)
                .anySatisfy(p -> assertThat(p).contains(expected));
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }
}
