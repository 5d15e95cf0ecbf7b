package dev.whoknows.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The objects of one rendered overlay, each parsed into its fabric8 Kubernetes model class. Parsing is strict:
 * an unknown apiVersion/kind, a field the model does not know (fabric8 would keep it in "additionalProperties")
 * or a value of the wrong type is a problem, reported with the object and the field's path.
 */
record Manifests(List<HasMetadata> objects, List<String> problems) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The kinds deploy/k8s may contain, by apiVersion + "/" + kind. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    static Manifests parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<JsonNode> docs;
        try (var parser = YAML.getFactory().createParser(yaml)) {
            docs = YAML.readValues(parser, JsonNode.class).readAll();
        } catch (IOException e) {
            return new Manifests(List.of(), List.of("not YAML: " + e.getMessage()));
        }
        for (JsonNode doc : docs) {
            if (doc == null || doc.isNull() || doc.isMissingNode()) {
                continue;
            }
            String type =
                    doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
            String name = doc.path("kind").asText() + "/"
                    + doc.path("metadata").path("name").asText();
            Class<? extends HasMetadata> cls = KINDS.get(type);
            if (cls == null) {
                problems.add(name + ": apiVersion/kind " + type + " is not one deploy/k8s uses (known: "
                        + KINDS.keySet().stream().sorted().toList() + ")");
                continue;
            }
            try {
                HasMetadata object = YAML.treeToValue(doc, cls);
                unknownFields(object, name, "", problems);
                objects.add(object);
            } catch (IOException e) {
                problems.add(name + ": does not fit the " + cls.getSimpleName() + " model: "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        return new Manifests(List.copyOf(objects), List.copyOf(problems));
    }

    /** Walks the model and reports every field that ended up in an additionalProperties map. */
    private static void unknownFields(Object node, String object, String path, List<String> problems) {
        if (node == null) {
            return;
        }
        if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknownFields(list.get(i), object, path + "[" + i + "]", problems);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, object, path + "." + k, problems));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : node.getClass().getMethods()) {
            if (m.getParameterCount() != 0
                    || Modifier.isStatic(m.getModifiers())
                    || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> problems.add(object + ": unknown field " + path + "." + k));
                }
                continue;
            }
            String field =
                    Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            if (value instanceof List
                    || value instanceof Map
                    || value != null && value.getClass().getName().startsWith("io.fabric8.")) {
                unknownFields(value, object, path + "." + field, problems);
            }
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> kind, String name) {
        return all(kind).stream()
                .filter(o -> name != null && name.equals(o.getMetadata().getName()))
                .findFirst();
    }
}
