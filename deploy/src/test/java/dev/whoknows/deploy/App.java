package dev.whoknows.deploy;

import dev.whoknows.frontend.FrontendConfig;
import dev.whoknows.stub.StubConfig;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The two services, what their config records read and accept, and their names in docker-compose.yml. */
enum App {
    FRONTEND("frontend"),
    STUB("backend");

    /** The service's name in docker-compose.yml. */
    final String composeService;

    App(String composeService) {
        this.composeService = composeService;
    }

    /** The image repository compose (and Jib) give this service, e.g. whoknows/frontend. */
    String image() {
        return Repo.composeImages().get(composeService);
    }

    /** What the config record understood of an environment (it throws on a value it refuses). */
    record Settings(int port, long shutdownTimeoutMs) {}

    /** Reads the environment as the service's Main does; throws the record's ConfigException on a bad value. */
    Settings settings(Map<String, String> env) {
        if (this == FRONTEND) {
            Map<String, String> local = new HashMap<>(env);
            // the image's /app/static is not on this machine: the repository's static/ stands in for it
            if ("/app/static".equals(local.get("STATIC_DIR"))) {
                local.put("STATIC_DIR", Repo.root().resolve("static").toString());
            }
            FrontendConfig c = FrontendConfig.fromEnv(local, Repo.root());
            return new Settings(c.port(), c.shutdownTimeoutMs());
        }
        StubConfig c = StubConfig.fromEnv(env, null);
        return new Settings(c.port(), c.shutdownTimeoutMs());
    }

    /** Every variable name the config record reads: recorded while it reads an empty environment. */
    Set<String> variables() {
        Set<String> names = new TreeSet<>();
        Map<String, String> recording = new AbstractMap<>() {
            @Override
            public String get(Object key) {
                names.add(String.valueOf(key));
                return null;
            }

            @Override
            public boolean containsKey(Object key) {
                names.add(String.valueOf(key));
                return false;
            }

            @Override
            public Set<Entry<String, String>> entrySet() {
                return Set.of();
            }
        };
        if (this == FRONTEND) {
            FrontendConfig.fromEnv(recording, Repo.root());
        } else {
            StubConfig.fromEnv(recording, null);
        }
        return names;
    }

    /**
     * The app an image reference runs: the compose name itself (whoknows/frontend), or the same image in a
     * registry, where Jib's -Dimage.registry replaces the "whoknows" prefix (REGISTRY/OWNER/frontend,
     * registry.example.com/whoknows/frontend).
     */
    static App byImage(String image) {
        String repository = repository(image);
        for (App app : values()) {
            String name = app.image().substring(app.image().lastIndexOf('/') + 1);
            if (repository.equals(app.image()) || repository.endsWith("/" + name) && inRegistry(repository)) {
                return app;
            }
        }
        return null;
    }

    /** Its first segment is a registry host: it has a dot or a port, or is localhost (Docker's own rule). */
    private static boolean inRegistry(String repository) {
        int slash = repository.indexOf('/');
        String host = slash < 0 ? "" : repository.substring(0, slash);
        return host.contains(".") || host.contains(":") || host.equals("localhost");
    }

    /** An image reference without its tag or digest: registry.example.com/whoknows/frontend. */
    static String repository(String image) {
        String ref = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = ref.lastIndexOf(':');
        return colon > ref.lastIndexOf('/') ? ref.substring(0, colon) : ref;
    }
}
