package dev.whoknows.frontend;

import io.javalin.Javalin;

/** Reads the environment, starts the frontend and stops it gracefully on SIGTERM. */
public final class Main {

    private Main() {
    }

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
        }
        var log = org.slf4j.LoggerFactory.getLogger(Main.class);

        Javalin app = FrontendApp.create(config);
        try {
            app.start();
        } catch (RuntimeException ex) {
            log.error("cannot start the frontend on port {}: {}", config.port(), ex.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping: no new connections, waiting up to {} ms for requests in flight",
                    config.shutdownTimeoutMs());
            app.stop();
            log.info("stopped");
        }, "shutdown"));
        log.info("frontend {} listening on port {}, static files from {}, backend {}",
                config.buildVersion(), app.port(), config.staticDir(), config.backendUrl());
    }
}
