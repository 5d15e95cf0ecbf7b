package dev.whoknows.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Facts the manifests must agree with, read from the repository's own files. */
final class Repo {

    private Repo() {}

    /** The repository root: the first directory upwards from the working directory with deploy/k8s in it. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("deploy/k8s"))
                    && Files.isRegularFile(dir.resolve("docker-compose.yml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no repository root (with deploy/k8s and docker-compose.yml) above "
                + Path.of("").toAbsolutePath());
    }

    static Path k8s() {
        return root().resolve("deploy/k8s");
    }

    /** docker-compose.yml's services: name -> image repository without the tag ("whoknows/frontend"). */
    static Map<String, String> composeImages() {
        Map<String, String> images = new LinkedHashMap<>();
        compose().path("services").fields().forEachRemaining(e -> {
            // whoknows/frontend:${TAG:-latest}: the tag (a variable here) is not part of the name
            String image = e.getValue().path("image").asText("").replaceFirst(":\\$\\{[^}]*}$", "");
            int colon = image.lastIndexOf(':');
            images.put(e.getKey(), colon > image.lastIndexOf('/') ? image.substring(0, colon) : image);
        });
        return images;
    }

    /** docker-compose.yml's mem_limit of a service in bytes, with its ${VAR:-default} resolved to the default. */
    static long composeMemoryLimit(String service) {
        String raw = compose().path("services").path(service).path("mem_limit").asText("");
        Matcher var = Pattern.compile("\\$\\{[A-Z_]+:-([^}]+)}").matcher(raw);
        String value = var.matches() ? var.group(1) : raw;
        Matcher m =
                Pattern.compile("(\\d+)([kmg]?)b?", Pattern.CASE_INSENSITIVE).matcher(value.strip());
        if (!m.matches()) {
            throw new IllegalStateException(
                    "docker-compose.yml: services." + service + ".mem_limit '" + raw + "' is not a size like 256m");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase()) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
    }

    /**
     * The JVM's -XX:MaxRAMPercentage as the images set it: docker/jvm.options, the flags file both image builds
     * use (and docker/Dockerfile or pom.xml, should either set it too). Every place that sets it must agree.
     */
    static int maxRamPercentage() {
        var found = new TreeSet<Integer>();
        for (String file : new String[] {"docker/jvm.options", "docker/Dockerfile", "pom.xml"}) {
            Path path = root().resolve(file);
            if (!Files.isRegularFile(path)) {
                continue;
            }
            Matcher m = Pattern.compile("MaxRAMPercentage=(\\d+)").matcher(read(path));
            while (m.find()) {
                found.add(Integer.parseInt(m.group(1)));
            }
        }
        if (found.size() != 1) {
            throw new IllegalStateException(
                    "expected one -XX:MaxRAMPercentage in docker/jvm.options, docker/Dockerfile and pom.xml, found "
                            + found);
        }
        return found.first();
    }

    private static JsonNode compose() {
        try {
            return new ObjectMapper(new YAMLFactory())
                    .readTree(root().resolve("docker-compose.yml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
