package dev.whoknows.frontend.proxy;

import dev.whoknows.frontend.FrontendConfig;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;

/** The one OkHttp client every backend call goes through. */
public final class BackendClient {

    private BackendClient() {}

    public static OkHttpClient create(FrontendConfig config) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder();
        if ("http".equalsIgnoreCase(config.backendUrl().getScheme())) {
            // a plain-HTTP backend needs no TLS: without a TLS spec OkHttp skips loading the trust store and
            // security providers, about 0.2 s of start-up
            builder.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }
        // Only the connect timeout is OkHttp's: its read, write and call timeouts take a JVM-wide lock on every
        // socket read and write, so the proxy keeps them itself (Deadlines) and /api/ready sets its own.
        return builder.connectTimeout(config.connectTimeoutMs(), TimeUnit.MILLISECONDS)
                .readTimeout(0, TimeUnit.MILLISECONDS)
                .writeTimeout(0, TimeUnit.MILLISECONDS)
                // idle connections are dropped before typical backend idle timeouts (Jetty: 30 s)
                .connectionPool(new ConnectionPool(config.backendPoolSize(), 20, TimeUnit.SECONDS))
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
    }

    public static void close(OkHttpClient client) {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
