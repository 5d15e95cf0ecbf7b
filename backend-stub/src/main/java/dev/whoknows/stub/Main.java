package dev.whoknows.stub;

import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;

/** Reads the environment, builds the stub and runs it until SIGTERM/SIGINT (then drains and stops). */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        StubConfig config;
        Javalin app;
        try {
            config = StubConfig.fromEnv(System.getenv());
            configureLogging(config.logLevel());
            skipJettysMemoryProbe();
            app = StubApp.create(config);
        } catch (ConfigException e) {
            System.err.println("config error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "shutdown"));
        try {
            app.start();
        } catch (JavalinBindException e) {
            System.err.println("start error: port " + config.port() + " is already in use"
                    + " (set BACKEND_INTERNAL_PORT to another port)");
            System.exit(1);
        }
    }

    /**
     * Jetty sizes its queues' padding from whether oops are compressed, and without this property asks the
     * platform MBean server, which starts JMX: ~60 ms of the main thread's wall clock in the image's profile
     * (bench/NOTES.md, 2026-12-03 night). Below 32 GB of heap they are compressed. The frontend's Main does
     * the same.
     */
    private static void skipJettysMemoryProbe() {
        if (System.getProperty("org.eclipse.jetty.util.referencesPerCacheLine") == null) {
            boolean compressedOops = Runtime.getRuntime().maxMemory() < 32L * 1024 * 1024 * 1024;
            System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", compressedOops ? "16" : "8");
        }
    }

    /** slf4j-simple reads these once, before the first logger: LOG_LEVEL drives our loggers. */
    private static void configureLogging(String level) {
        boolean quieterThanInfo = level.equals("warn") || level.equals("error") || level.equals("off");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", quieterThanInfo ? level : "info");
        System.setProperty("org.slf4j.simpleLogger.log.dev.whoknows", level);
        // the stub writes its own start line: Javalin's and Jetty's INFO lines (versions, "Started ...") are noise
        System.setProperty("org.slf4j.simpleLogger.log.io.javalin", quieterThanInfo ? level : "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", quieterThanInfo ? level : "warn");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    }
}
