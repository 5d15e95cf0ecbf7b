package dev.whoknows.frontend;

import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;

/** Reads the environment, starts the frontend and stops it gracefully on SIGTERM. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        FrontendConfig config;
        try {
            config = FrontendConfig.fromEnv(System.getenv());
        } catch (FrontendConfig.ConfigException ex) {
            System.err.println("config error: " + ex.getMessage());
            System.exit(2);
            return;
        }
        // slf4j-simple reads its level once, when the first logger is created: set it before that
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", config.logLevel());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        if (!config.logLevel().equals("debug") && !config.logLevel().equals("trace")) {
            System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
            // these two warn about a client's malformed request (repeated Host, bad port), which Jetty
            // answers with a 400; that answer is the request's access-log line, not a server warning
            System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty.http.HttpParser", "error");
            System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty.util.HostPort", "error");
        }
        // Without this Jetty asks the platform MBean server whether oops are compressed, which starts JMX
        // and loads ~300 classes: about a quarter of the start-up time. Below 32 GB of heap they are.
        if (System.getProperty("org.eclipse.jetty.util.referencesPerCacheLine") == null) {
            boolean compressedOops = Runtime.getRuntime().maxMemory() < 32L * 1024 * 1024 * 1024;
            System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", compressedOops ? "16" : "8");
        }
        var log = org.slf4j.LoggerFactory.getLogger(Main.class);

        Javalin app = FrontendApp.create(config);
        try {
            app.start();
        } catch (JavalinBindException ex) {
            log.error(
                    "cannot start the frontend: port {} is already in use (set FRONTEND_INTERNAL_PORT to another port)",
                    config.port());
            System.exit(1);
            return;
        } catch (RuntimeException ex) {
            log.error("cannot start the frontend on port {}: {}", config.port(), ex.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info(
                                    "stopping: no new connections, waiting up to {} ms for requests in flight",
                                    config.shutdownTimeoutMs());
                            app.stop();
                            log.info("stopped");
                        },
                        "shutdown"));
        log.info(
                "frontend {} listening on port {}, static files from {}, backend {}",
                config.buildVersion(),
                app.port(),
                config.staticDir(),
                config.backendUrl());
    }
}
