package dev.whoknows.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Every check made on a rendered overlay, offline. Each problem is one line naming the object and what is
 * wrong; an empty list means the overlay passed. The facts it compares with come from the real apps (probe
 * paths asked of them, variable names read by their config records) and the repository (compose images and
 * memory limits, the JVM's MaxRAMPercentage).
 */
final class Checks {

    /** What an overlay promises beyond the base: prod runs highly available with pinned images. */
    record Profile(String name, boolean highlyAvailable, boolean pinnedImages) {
        static Profile of(String overlay) {
            return overlay.equals("prod") ? new Profile(overlay, true, true) : new Profile(overlay, false, false);
        }
    }

    static final long UID = 10001;
    /** What the JVM needs besides the heap (code cache, metaspace, thread stacks, C-heap): README "Containers". */
    static final long JVM_OVERHEAD_BYTES = 90L << 20;

    private final Manifests m;
    private final Profile profile;
    private final BiFunction<App, String, Integer> served;
    private final List<String> problems = new ArrayList<>();

    private Checks(Manifests m, Profile profile, BiFunction<App, String, Integer> served) {
        this.m = m;
        this.profile = profile;
        this.served = served;
    }

    /** @param served the status a GET of a path answers on the real app */
    static List<String> run(Manifests m, Profile profile, BiFunction<App, String, Integer> served) {
        Checks c = new Checks(m, profile, served);
        c.problems.addAll(m.problems());
        c.deployments();
        c.services();
        c.ingresses();
        c.autoscaler();
        c.disruptionBudget();
        c.networkPolicy();
        return List.copyOf(c.problems);
    }

    private void problem(String text) {
        problems.add(text);
    }

    // ---------------------------------------------------------------------------------------- deployments

    private void deployments() {
        Map<App, Integer> seen = new LinkedHashMap<>();
        for (Deployment d : m.all(Deployment.class)) {
            String name = "Deployment/" + d.getMetadata().getName();
            var template = d.getSpec().getTemplate();
            Map<String, String> labels = template.getMetadata() == null
                    ? null
                    : template.getMetadata().getLabels();
            if (!selects(d.getSpec().getSelector(), labels)) {
                problem(name + ": spec.selector " + describe(d.getSpec().getSelector())
                        + " does not match its pod template's labels " + labels);
            }
            PodSpec pod = template.getSpec();
            for (Container c : pod.getContainers()) {
                App app = App.byImage(c.getImage());
                if (app == null) {
                    problem(name + ": container " + c.getName() + " image " + c.getImage() + " is none of the images "
                            + "docker-compose.yml names (" + App.FRONTEND.image() + ", " + App.STUB.image()
                            + ", or the same name in a registry)");
                    continue;
                }
                seen.merge(app, 1, Integer::sum);
                container(name, d, pod, c, app);
            }
            if (pod.getInitContainers() != null && !pod.getInitContainers().isEmpty()) {
                problem(name + ": init containers are not checked by these tests; add checks before adding them");
            }
        }
        for (App app : App.values()) {
            if (seen.getOrDefault(app, 0) != 1) {
                problem("expected exactly one container running " + app.image() + ", found "
                        + seen.getOrDefault(app, 0));
            }
        }
    }

    private void container(String name, Deployment d, PodSpec pod, Container c, App app) {
        String where = name + " container " + c.getName();
        images(where, c, app);
        Map<String, String> env = environment(where, c);
        App.Settings settings;
        try {
            settings = app.settings(env);
        } catch (RuntimeException e) {
            problem(where + ": the " + app.name().toLowerCase() + "'s config refuses its environment: "
                    + e.getMessage());
            return;
        }
        Set<String> known = app.variables();
        env.keySet().stream()
                .filter(k -> !known.contains(k))
                .forEach(k -> problem(where + ": environment variable " + k + " is not read by the "
                        + app.name().toLowerCase() + "'s config (it reads " + known + ")"));

        ports(where, c, settings);
        probes(where, c, app, settings);
        shutdown(where, pod, c, settings);
        security(where, pod, c);
        resources(where, c, app);
        scrapeAnnotations(name, d, c, app, settings);
        replicas(name, d, app);
        if (app == App.FRONTEND) {
            backendUrl(where, env);
        }
    }

    private void images(String where, Container c, App app) {
        String repository = App.repository(c.getImage());
        if (profile.pinnedImages()) {
            String tag = c.getImage().equals(repository) ? "" : c.getImage().substring(repository.length() + 1);
            if (tag.isEmpty() || tag.equals("latest") || repository.equals(app.image())) {
                problem(where + ": image " + c.getImage() + " must come from a registry with a pinned tag in "
                        + profile.name() + " (kustomization images: newName and newTag)");
            }
        }
    }

    /** The container's environment: its ConfigMaps (envFrom) and env entries, as the kubelet would build it. */
    private Map<String, String> environment(String where, Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : Optional.ofNullable(c.getEnvFrom()).orElse(List.of())) {
            if (from.getConfigMapRef() == null) {
                problem(where + ": envFrom without a configMapRef is not checked by these tests");
                continue;
            }
            String ref = from.getConfigMapRef().getName();
            Optional<ConfigMap> cm = m.find(ConfigMap.class, ref);
            if (cm.isEmpty()) {
                problem(where + ": envFrom names ConfigMap " + ref + ", which the overlay does not contain");
                continue;
            }
            Optional.ofNullable(cm.get().getData())
                    .ifPresent(data ->
                            data.forEach((k, v) -> env.put((from.getPrefix() == null ? "" : from.getPrefix()) + k, v)));
        }
        for (EnvVar var : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
            env.put(var.getName(), var.getValue() == null ? "" : var.getValue());
        }
        return env;
    }

    private void ports(String where, Container c, App.Settings settings) {
        boolean listens = Optional.ofNullable(c.getPorts()).orElse(List.of()).stream()
                .anyMatch(p -> p.getContainerPort() == settings.port());
        if (!listens) {
            problem(where + ": no containerPort " + settings.port() + ", the port its config makes it listen on");
        }
    }

    private void probes(String where, Container c, App app, App.Settings settings) {
        String readyPath = app == App.FRONTEND ? "/api/ready" : "/api/health";
        probe(where, "startupProbe", c.getStartupProbe(), "/api/health", c, app, settings);
        probe(where, "livenessProbe", c.getLivenessProbe(), "/api/health", c, app, settings);
        probe(where, "readinessProbe", c.getReadinessProbe(), readyPath, c, app, settings);
    }

    private void probe(
            String where, String kind, Probe probe, String expected, Container c, App app, App.Settings settings) {
        if (probe == null || probe.getHttpGet() == null) {
            problem(where + ": no " + kind + " with httpGet");
            return;
        }
        HTTPGetAction get = probe.getHttpGet();
        if (!expected.equals(get.getPath())) {
            problem(where + ": " + kind + " path " + get.getPath() + ", expected " + expected);
        }
        Integer port = containerPort(c, get.getPort());
        if (port == null) {
            problem(where + ": " + kind + " port " + text(get.getPort()) + " is not a declared container port");
        } else if (port != settings.port()) {
            problem(where + ": " + kind + " port " + text(get.getPort()) + " is " + port + ", but the app listens on "
                    + settings.port());
        }
        int status = served.apply(app, get.getPath());
        if (status != 200) {
            problem(where + ": " + kind + " path " + get.getPath() + " answers " + status + " on the real "
                    + app.name().toLowerCase() + ", not 200");
        }
    }

    private void shutdown(String where, PodSpec pod, Container c, App.Settings settings) {
        var lifecycle = c.getLifecycle();
        Long sleepSeconds = null;
        if (lifecycle != null && lifecycle.getPreStop() != null) {
            if (lifecycle.getPreStop().getSleep() != null) {
                sleepSeconds = lifecycle.getPreStop().getSleep().getSeconds();
            } else if (lifecycle.getPreStop().getExec() != null) {
                List<String> cmd = lifecycle.getPreStop().getExec().getCommand();
                if (cmd != null
                        && cmd.size() == 2
                        && cmd.get(0).endsWith("sleep")
                        && cmd.get(1).matches("\\d+")) {
                    sleepSeconds = Long.parseLong(cmd.get(1));
                }
            }
        }
        if (sleepSeconds == null || sleepSeconds < 1) {
            problem(where + ": no preStop sleep (endpoints must be removed before SIGTERM)");
            sleepSeconds = 0L;
        }
        long grace = Optional.ofNullable(pod.getTerminationGracePeriodSeconds()).orElse(30L);
        long needed = settings.shutdownTimeoutMs() + sleepSeconds * 1000;
        if (grace * 1000 <= needed) {
            problem(where + ": terminationGracePeriodSeconds " + grace + " is not above the shutdown timeout ("
                    + settings.shutdownTimeoutMs() + " ms) plus the preStop sleep (" + sleepSeconds + " s)");
        }
    }

    private void security(String where, PodSpec pod, Container c) {
        SecurityContext sc = Optional.ofNullable(c.getSecurityContext()).orElse(new SecurityContext());
        PodSecurityContext psc = Optional.ofNullable(pod.getSecurityContext()).orElse(new PodSecurityContext());
        // a container's setting wins over the pod's
        if (!Boolean.TRUE.equals(first(sc.getRunAsNonRoot(), psc.getRunAsNonRoot()))) {
            problem(where + ": runAsNonRoot is not true");
        }
        if (!Long.valueOf(UID).equals(first(sc.getRunAsUser(), psc.getRunAsUser()))) {
            problem(where + ": runAsUser is " + first(sc.getRunAsUser(), psc.getRunAsUser()) + ", expected " + UID);
        }
        if (!Long.valueOf(UID).equals(first(sc.getRunAsGroup(), psc.getRunAsGroup()))) {
            problem(where + ": runAsGroup is " + first(sc.getRunAsGroup(), psc.getRunAsGroup()) + ", expected " + UID);
        }
        if (!Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
            problem(where + ": readOnlyRootFilesystem is not true");
        }
        if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
            problem(where + ": allowPrivilegeEscalation is not false");
        }
        List<String> drop =
                sc.getCapabilities() == null ? null : sc.getCapabilities().getDrop();
        if (drop == null || !drop.contains("ALL")) {
            problem(where + ": capabilities.drop does not contain ALL (got " + drop + ")");
        }
        if (sc.getCapabilities() != null
                && sc.getCapabilities().getAdd() != null
                && !sc.getCapabilities().getAdd().isEmpty()) {
            problem(where + ": capabilities.add " + sc.getCapabilities().getAdd() + " (none may be added)");
        }
        var seccomp = first(sc.getSeccompProfile(), psc.getSeccompProfile());
        if (seccomp == null || !"RuntimeDefault".equals(seccomp.getType())) {
            problem(where + ": seccompProfile is not RuntimeDefault");
        }
        if (Boolean.TRUE.equals(sc.getPrivileged())) {
            problem(where + ": privileged");
        }
        Optional<VolumeMount> tmp = Optional.ofNullable(c.getVolumeMounts()).orElse(List.of()).stream()
                .filter(v -> "/tmp".equals(v.getMountPath()))
                .findFirst();
        Optional<Volume> volume = tmp.flatMap(mount -> Optional.ofNullable(pod.getVolumes()).orElse(List.of()).stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst());
        if (volume.isEmpty() || volume.get().getEmptyDir() == null) {
            problem(where + ": /tmp is not an emptyDir volume (the root filesystem is read-only)");
        }
    }

    private void resources(String where, Container c, App app) {
        var r = c.getResources();
        Quantity limit =
                r == null || r.getLimits() == null ? null : r.getLimits().get("memory");
        Quantity request =
                r == null || r.getRequests() == null ? null : r.getRequests().get("memory");
        long compose = Repo.composeMemoryLimit(app.composeService);
        if (limit == null) {
            problem(where + ": no memory limit (docker-compose.yml: " + (compose >> 20) + " MiB)");
            return;
        }
        long limitBytes = Quantity.getAmountInBytes(limit).longValue();
        if (limitBytes != compose) {
            problem(where + ": memory limit " + limit + " differs from docker-compose.yml's mem_limit ("
                    + (compose >> 20) + " MiB)");
        }
        if (request == null || Quantity.getAmountInBytes(request).longValue() != limitBytes) {
            problem(where + ": memory request " + request + " is not the limit " + limit
                    + " (the JVM sizes its heap from the limit: a smaller request overcommits the node)");
        }
        int percent = Repo.maxRamPercentage();
        long rest = limitBytes - limitBytes * percent / 100;
        if (rest < JVM_OVERHEAD_BYTES) {
            problem(where + ": with -XX:MaxRAMPercentage=" + percent + " the memory limit " + limit + " leaves "
                    + (rest >> 20) + " MiB beside the heap, less than the JVM's ~" + (JVM_OVERHEAD_BYTES >> 20)
                    + " MiB");
        }
        Quantity cpu = r.getRequests() == null ? null : r.getRequests().get("cpu");
        if (cpu == null || Quantity.getAmountInBytes(cpu).compareTo(BigDecimal.ZERO) <= 0) {
            problem(where + ": no CPU request (the HorizontalPodAutoscaler's utilisation is relative to it)");
        }
    }

    /** Prometheus' prometheus.io/* pod annotations, where present, must name a served path on the app's port. */
    private void scrapeAnnotations(String name, Deployment d, Container c, App app, App.Settings settings) {
        Map<String, String> annotations =
                d.getSpec().getTemplate().getMetadata().getAnnotations();
        if (annotations == null || !"true".equals(annotations.get("prometheus.io/scrape"))) {
            if (app == App.FRONTEND) {
                problem(name + ": no prometheus.io/scrape annotation on the frontend's pods");
            }
            return;
        }
        String port = annotations.get("prometheus.io/port");
        if (port == null || !port.equals(String.valueOf(settings.port()))) {
            problem(name + ": prometheus.io/port " + port + " is not the app's port " + settings.port());
        }
        String path = annotations.getOrDefault("prometheus.io/path", "/metrics");
        int status = served.apply(app, path);
        if (status != 200) {
            problem(name + ": prometheus.io/path " + path + " answers " + status + " on the real "
                    + app.name().toLowerCase());
        }
    }

    private void replicas(String name, Deployment d, App app) {
        int replicas = Optional.ofNullable(d.getSpec().getReplicas()).orElse(1);
        if (app == App.STUB) {
            if (replicas != 1) {
                problem(name + ": " + replicas
                        + " replicas; the stub keeps users and sessions in memory, so exactly 1");
            }
            return;
        }
        var strategy = d.getSpec().getStrategy();
        var rolling = strategy == null ? null : strategy.getRollingUpdate();
        if (strategy == null
                || !"RollingUpdate".equals(strategy.getType())
                || rolling == null
                || !isZero(rolling.getMaxUnavailable())) {
            problem(name + ": the update strategy must be RollingUpdate with maxUnavailable 0");
        }
        if (profile.highlyAvailable() && replicas < 2) {
            problem(name + ": " + replicas + " replica(s) in " + profile.name() + "; at least 2");
        }
    }

    /** BACKEND_URL's host and port must be a Service in front of the stub's port. */
    private void backendUrl(String where, Map<String, String> env) {
        URI url = URI.create(env.getOrDefault("BACKEND_URL", "http://localhost:5050"));
        Optional<Service> service = m.find(Service.class, url.getHost());
        if (service.isEmpty()) {
            problem(where + ": BACKEND_URL " + url + " names no Service of the overlay");
            return;
        }
        int port = url.getPort() == -1 ? 80 : url.getPort();
        Optional<ServicePort> sp = service.get().getSpec().getPorts().stream()
                .filter(p -> p.getPort() == port)
                .findFirst();
        List<Deployment> behind = selected(service.get().getSpec().getSelector());
        if (sp.isEmpty()
                || behind.size() != 1
                || !behind.get(0).getMetadata().getName().equals(stubDeployment())) {
            problem(where + ": BACKEND_URL " + url + " does not lead to the stub (Service " + url.getHost() + " port "
                    + port + ")");
        }
    }

    // ---------------------------------------------------------------------------------------- services

    private void services() {
        for (Service s : m.all(Service.class)) {
            String name = "Service/" + s.getMetadata().getName();
            List<Deployment> targets = selected(s.getSpec().getSelector());
            if (targets.isEmpty()) {
                problem(name + ": selector " + s.getSpec().getSelector() + " matches no Deployment's pods");
                continue;
            }
            for (ServicePort p : s.getSpec().getPorts()) {
                IntOrString target = p.getTargetPort() == null ? new IntOrString(p.getPort()) : p.getTargetPort();
                for (Deployment d : targets) {
                    boolean declared = d.getSpec().getTemplate().getSpec().getContainers().stream()
                            .anyMatch(c -> containerPort(c, target) != null);
                    if (!declared) {
                        problem(name + ": targetPort " + text(target) + " is not a container port of Deployment/"
                                + d.getMetadata().getName());
                    }
                }
            }
        }
    }

    private void ingresses() {
        List<Ingress> ingresses = m.all(Ingress.class);
        if (ingresses.isEmpty()) {
            problem("no Ingress for the frontend");
        }
        for (Ingress i : ingresses) {
            String name = "Ingress/" + i.getMetadata().getName();
            i.getSpec()
                    .getRules()
                    .forEach(rule -> rule.getHttp().getPaths().forEach(path -> {
                        IngressServiceBackend backend = path.getBackend().getService();
                        Optional<Service> s =
                                backend == null ? Optional.empty() : m.find(Service.class, backend.getName());
                        if (s.isEmpty()) {
                            problem(name + ": path " + path.getPath() + " goes to Service "
                                    + (backend == null ? null : backend.getName()) + ", which does not exist");
                            return;
                        }
                        var port = backend.getPort();
                        boolean exists = s.get().getSpec().getPorts().stream()
                                .anyMatch(p -> port.getName() != null
                                        ? port.getName().equals(p.getName())
                                        : Objects.equals(port.getNumber(), p.getPort()));
                        if (!exists) {
                            problem(name + ": Service " + backend.getName() + " has no port "
                                    + (port.getName() != null ? port.getName() : port.getNumber()));
                        }
                        List<Deployment> behind = selected(s.get().getSpec().getSelector());
                        if (behind.size() != 1
                                || !behind.get(0).getMetadata().getName().equals(frontendDeployment())) {
                            problem(name + ": Service " + backend.getName() + " is not in front of the frontend");
                        }
                    }));
        }
    }

    private void autoscaler() {
        List<HorizontalPodAutoscaler> hpas = m.all(HorizontalPodAutoscaler.class);
        if (hpas.size() != 1) {
            problem("expected one HorizontalPodAutoscaler (for the frontend), found " + hpas.size());
            return;
        }
        HorizontalPodAutoscaler h = hpas.get(0);
        String name = "HorizontalPodAutoscaler/" + h.getMetadata().getName();
        var ref = h.getSpec().getScaleTargetRef();
        if (!"Deployment".equals(ref.getKind())
                || !"apps/v1".equals(ref.getApiVersion())
                || !Objects.equals(ref.getName(), frontendDeployment())) {
            problem(name + ": scaleTargetRef " + ref.getApiVersion() + " " + ref.getKind() + "/" + ref.getName()
                    + " is not the frontend's Deployment (apps/v1 Deployment/" + frontendDeployment() + ")");
        }
        boolean cpu = Optional.ofNullable(h.getSpec().getMetrics()).orElse(List.of()).stream()
                .map(MetricSpec::getResource)
                .filter(Objects::nonNull)
                .anyMatch(r -> "cpu".equals(r.getName())
                        && r.getTarget() != null
                        && "Utilization".equals(r.getTarget().getType())
                        && r.getTarget().getAverageUtilization() != null);
        if (!cpu) {
            problem(name + ": no CPU utilisation metric");
        }
        int min = Optional.ofNullable(h.getSpec().getMinReplicas()).orElse(1);
        if (min > h.getSpec().getMaxReplicas()) {
            problem(name + ": minReplicas " + min + " above maxReplicas "
                    + h.getSpec().getMaxReplicas());
        }
        if (profile.highlyAvailable() && min < 2) {
            problem(name + ": minReplicas " + min + " in " + profile.name() + "; at least 2");
        }
    }

    private void disruptionBudget() {
        List<PodDisruptionBudget> pdbs = m.all(PodDisruptionBudget.class);
        if (pdbs.size() != 1) {
            problem("expected one PodDisruptionBudget (for the frontend), found " + pdbs.size());
            return;
        }
        PodDisruptionBudget p = pdbs.get(0);
        String name = "PodDisruptionBudget/" + p.getMetadata().getName();
        List<Deployment> selected = selected(p.getSpec().getSelector());
        if (selected.size() != 1 || !selected.get(0).getMetadata().getName().equals(frontendDeployment())) {
            problem(name + ": selector " + describe(p.getSpec().getSelector()) + " does not select the frontend's pods "
                    + "(and only them)");
        }
        if (p.getSpec().getMinAvailable() == null && p.getSpec().getMaxUnavailable() == null) {
            problem(name + ": neither minAvailable nor maxUnavailable");
        }
    }

    private void networkPolicy() {
        String stub = stubDeployment();
        Deployment stubD = stub == null ? null : m.find(Deployment.class, stub).orElse(null);
        if (stubD == null) {
            return;
        }
        Map<String, String> stubLabels =
                stubD.getSpec().getTemplate().getMetadata().getLabels();
        List<NetworkPolicy> policies = m.all(NetworkPolicy.class).stream()
                .filter(n -> selects(n.getSpec().getPodSelector(), stubLabels))
                .toList();
        if (policies.isEmpty()) {
            problem("no NetworkPolicy selects the stub's pods");
            return;
        }
        int stubPort;
        try {
            stubPort = App.STUB.settings(environmentOf(stubD)).port();
        } catch (RuntimeException e) {
            return; // reported with the stub's container
        }
        Map<String, String> frontendLabels = m.find(Deployment.class, frontendDeployment())
                .map(d -> d.getSpec().getTemplate().getMetadata().getLabels())
                .orElse(Map.of());
        for (NetworkPolicy n : policies) {
            String name = "NetworkPolicy/" + n.getMetadata().getName();
            if (n.getSpec().getPolicyTypes() == null
                    || !n.getSpec().getPolicyTypes().contains("Ingress")) {
                problem(name + ": policyTypes does not contain Ingress");
            }
            List<NetworkPolicyIngressRule> rules =
                    Optional.ofNullable(n.getSpec().getIngress()).orElse(List.of());
            if (rules.isEmpty()) {
                problem(name + ": no ingress rule lets the frontend in");
            }
            for (NetworkPolicyIngressRule rule : rules) {
                List<NetworkPolicyPeer> from =
                        Optional.ofNullable(rule.getFrom()).orElse(List.of());
                if (from.isEmpty()) {
                    problem(name + ": an ingress rule without \"from\" admits every pod");
                }
                for (NetworkPolicyPeer peer : from) {
                    if (peer.getIpBlock() != null
                            || peer.getNamespaceSelector() != null
                            || peer.getPodSelector() == null
                            || !selects(peer.getPodSelector(), frontendLabels)
                            || selected(peer.getPodSelector()).size() != 1) {
                        problem(name + ": ingress from " + describePeer(peer) + " is not just the frontend's pods");
                    }
                }
                List<NetworkPolicyPort> ports =
                        Optional.ofNullable(rule.getPorts()).orElse(List.of());
                Container stubContainer =
                        stubD.getSpec().getTemplate().getSpec().getContainers().get(0);
                if (ports.isEmpty()
                        || ports.stream()
                                .anyMatch(p -> p.getPort() == null
                                        || !Objects.equals(containerPort(stubContainer, p.getPort()), stubPort))) {
                    problem(name + ": ingress ports "
                            + ports.stream().map(p -> text(p.getPort())).toList() + " are not just the stub's port "
                            + stubPort);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------- helpers

    private Map<String, String> environmentOf(Deployment d) {
        return environment(
                "Deployment/" + d.getMetadata().getName(),
                d.getSpec().getTemplate().getSpec().getContainers().get(0));
    }

    private String deploymentOf(App app) {
        return m.all(Deployment.class).stream()
                .filter(d -> d.getSpec().getTemplate().getSpec().getContainers().stream()
                        .anyMatch(c -> App.byImage(c.getImage()) == app))
                .map(d -> d.getMetadata().getName())
                .findFirst()
                .orElse(null);
    }

    private String frontendDeployment() {
        return deploymentOf(App.FRONTEND);
    }

    private String stubDeployment() {
        return deploymentOf(App.STUB);
    }

    /** The Deployments whose pods a Service-style label map selects. */
    private List<Deployment> selected(Map<String, String> selector) {
        if (selector == null || selector.isEmpty()) {
            return List.of();
        }
        return m.all(Deployment.class).stream()
                .filter(d -> labelsMatch(
                        selector, d.getSpec().getTemplate().getMetadata().getLabels()))
                .toList();
    }

    private List<Deployment> selected(LabelSelector selector) {
        return m.all(Deployment.class).stream()
                .filter(d -> selects(
                        selector, d.getSpec().getTemplate().getMetadata().getLabels()))
                .toList();
    }

    /** matchLabels only: a matchExpressions selector is a problem these tests do not evaluate. */
    private boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        if (selector.getMatchExpressions() != null
                && !selector.getMatchExpressions().isEmpty()) {
            problem("selector " + describe(selector)
                    + ": matchExpressions are not evaluated by these tests; use matchLabels");
            return false;
        }
        return selector.getMatchLabels() != null
                && !selector.getMatchLabels().isEmpty()
                && labelsMatch(selector.getMatchLabels(), labels);
    }

    private static boolean labelsMatch(Map<String, String> selector, Map<String, String> labels) {
        return labels != null
                && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** The port number a probe or Service port (a name or a number) means in the container, or null. */
    private static Integer containerPort(Container c, IntOrString port) {
        if (port == null) {
            return null;
        }
        for (ContainerPort p : Optional.ofNullable(c.getPorts()).orElse(List.of())) {
            if (port.getStrVal() != null
                    ? port.getStrVal().equals(p.getName())
                    : Objects.equals(port.getIntVal(), p.getContainerPort())) {
                return p.getContainerPort();
            }
        }
        return null;
    }

    private static boolean isZero(IntOrString value) {
        return value != null
                && (Objects.equals(value.getIntVal(), 0)
                        || "0%".equals(value.getStrVal())
                        || "0".equals(value.getStrVal()));
    }

    private static String text(IntOrString value) {
        return value == null
                ? "null"
                : value.getStrVal() != null ? value.getStrVal() : String.valueOf(value.getIntVal());
    }

    private static String describe(LabelSelector s) {
        return s == null ? "null" : String.valueOf(s.getMatchLabels());
    }

    private static String describePeer(NetworkPolicyPeer p) {
        return p.getIpBlock() != null
                ? "ipBlock " + p.getIpBlock().getCidr()
                : p.getNamespaceSelector() != null ? "a namespaceSelector" : "pods " + describe(p.getPodSelector());
    }

    private static <T> T first(T a, T b) {
        return a != null ? a : b;
    }
}
