package dev.whoknows.frontend.proxy;

import dev.whoknows.frontend.FrontendConfig;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

import java.util.concurrent.TimeUnit;

/** The one OkHttp client every backend call goes through. */
public final class BackendClient {

    private BackendClient() {
    }

    public static OkHttpClient create(FrontendConfig config) {
        return new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeoutMs(), TimeUnit.MILLISECONDS)
                .readTimeout(config.readTimeoutMs(), TimeUnit.MILLISECONDS)
                .writeTimeout(config.readTimeoutMs(), TimeUnit.MILLISECONDS)
                .callTimeout(config.callTimeoutMs(), TimeUnit.MILLISECONDS)
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
