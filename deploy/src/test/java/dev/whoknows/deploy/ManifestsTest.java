package dev.whoknows.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each overlay of deploy/k8s, rendered with kubectl kustomize and checked offline (Checks says what). */
class ManifestsTest {

    @RegisterExtension
    static final LiveApps apps = new LiveApps();

    private static final java.util.Map<String, Manifests> RENDERED = new java.util.concurrent.ConcurrentHashMap<>();

    /** Rendered once per overlay: kubectl is the slow part. */
    static Manifests render(String overlay) {
        return RENDERED.computeIfAbsent(
                overlay,
                o -> Manifests.parse(
                        Kubectl.kustomize(Repo.k8s().resolve("overlays").resolve(o))));
    }

    @ParameterizedTest(name = "overlays/{0} passes every check")
    @ValueSource(strings = {"dev", "prod"})
    void overlayPassesEveryCheck(String overlay) {
        Manifests m = render(overlay);
        assertThat(m.objects())
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .contains(
                        "Deployment/frontend",
                        "Deployment/backend-stub",
                        "Service/frontend",
                        "Service/backend",
                        "Ingress/frontend",
                        "HorizontalPodAutoscaler/frontend",
                        "PodDisruptionBudget/frontend",
                        "NetworkPolicy/backend-stub");
        assertThat(Checks.run(m, Checks.Profile.of(overlay), apps::status)).isEmpty();
    }

    /** The base names the images exactly as compose does, so the overlays' images: entries replace them. */
    @Test
    void theBaseUsesTheComposeImageNames() {
        Manifests base = Manifests.parse(Kubectl.kustomize(Repo.k8s().resolve("base")));
        assertThat(base.all(Deployment.class))
                .flatExtracting(d -> d.getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> App.repository(c.getImage()))
                .containsExactlyInAnyOrder(App.FRONTEND.image(), App.STUB.image());
    }

    @Test
    void aRegistryCopyOfTheImageIsTheSameAppButATyposNameIsNot() {
        assertThat(App.byImage("whoknows/frontend:latest")).isEqualTo(App.FRONTEND);
        assertThat(App.byImage("registry.example/some-team/frontend:0123abc")).isEqualTo(App.FRONTEND);
        assertThat(App.byImage("registry.example.com:5000/whoknows/backend-stub@sha256:00"))
                .isEqualTo(App.STUB);
        assertThat(App.byImage("localhost:5000/frontend:1")).isEqualTo(App.FRONTEND);
        assertThat(App.byImage("whoknows/front-end")).isNull();
        assertThat(App.byImage("someone/frontend")).isNull();
        assertThat(App.byImage("frontend")).isNull();
    }

    @Test
    void prodRunsTheFrontendHighlyAvailableAndTheStubOnce() {
        Manifests m = render("prod");
        Deployment frontend = m.find(Deployment.class, "frontend").orElseThrow();
        assertThat(frontend.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(frontend.getSpec()
                        .getStrategy()
                        .getRollingUpdate()
                        .getMaxUnavailable()
                        .getIntVal())
                .isZero();
        assertThat(m.find(Deployment.class, "backend-stub")
                        .orElseThrow()
                        .getSpec()
                        .getReplicas())
                .isEqualTo(1);
        assertThat(frontend.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .as("registry and tag come from the prod overlay's images:")
                .isEqualTo("registry.example.com/whoknows/frontend:1.0.0");
        assertThat(m.objects())
                .filteredOn(o -> !(o instanceof io.fabric8.kubernetes.api.model.Namespace))
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("whoknows"));
    }

    /** Every .env.example variable a service reads (but the image's BUILD_VERSION) is in that service's ConfigMap. */
    @ParameterizedTest(name = "overlays/{0}: the ConfigMaps carry .env.example's names")
    @ValueSource(strings = {"dev", "prod"})
    void configMapsUseTheNamesOfEnvExample(String overlay) {
        Set<String> example = Arrays.stream(
                        Repo.read(Repo.root().resolve(".env.example")).split("\n"))
                .filter(l -> l.matches("[A-Z][A-Z0-9_]*=.*"))
                .map(l -> l.substring(0, l.indexOf('=')))
                .collect(Collectors.toCollection(TreeSet::new));
        Manifests m = render(overlay);
        for (var entry : java.util.Map.of(App.FRONTEND, "frontend-config", App.STUB, "backend-stub-config")
                .entrySet()) {
            ConfigMap cm = m.all(ConfigMap.class).stream()
                    .filter(c -> c.getMetadata().getName().startsWith(entry.getValue() + "-"))
                    .findFirst()
                    .orElseThrow();
            Set<String> wanted = new TreeSet<>(example);
            wanted.retainAll(entry.getKey().variables());
            wanted.remove("BUILD_VERSION"); // baked into the image by the build, not configuration
            assertThat(wanted)
                    .as(entry.getKey() + " reads these .env.example variables")
                    .isNotEmpty();
            assertThat(cm.getData().keySet())
                    .as("ConfigMap " + cm.getMetadata().getName())
                    .containsAll(wanted);
        }
    }

    @Test
    void theConfigRecordsReadTheVariablesTheChecksCompareWith() {
        assertThat(App.FRONTEND.variables())
                .contains("FRONTEND_INTERNAL_PORT", "BACKEND_URL", "LOG_LEVEL", "FRONTEND_SHUTDOWN_TIMEOUT_MS")
                .doesNotContain("BACKEND_INTERNAL_PORT");
        assertThat(App.STUB.variables())
                .contains("BACKEND_INTERNAL_PORT", "STUB_FAULTS", "STUB_SHUTDOWN_TIMEOUT_MS")
                .doesNotContain("BACKEND_URL");
        assertThat(App.FRONTEND.image()).isEqualTo("whoknows/frontend");
        assertThat(App.STUB.image()).isEqualTo("whoknows/backend-stub");
    }

    @Test
    void theLiveAppsAnswerOnlyTheRoutesTheyServe() {
        assertThat(apps.status(App.FRONTEND, "/api/ready")).isEqualTo(200);
        assertThat(apps.status(App.FRONTEND, "/api/metrics")).isEqualTo(200);
        assertThat(apps.status(App.STUB, "/api/health")).isEqualTo(200);
        assertThat(apps.status(App.STUB, "/api/ready")).isEqualTo(404);
        assertThat(apps.status(App.FRONTEND, "/api/healthz")).isNotEqualTo(200);
    }
}
