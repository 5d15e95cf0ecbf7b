package dev.whoknows.frontend.ops;

import dev.whoknows.frontend.FrontendConfig;
import dev.whoknows.frontend.OwnAnswers;
import dev.whoknows.frontend.edge.RequestInfo;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** /api/health (liveness), /api/ready (can we reach the backend?) and /api/metrics. */
public final class OpsRoutes {

    public static final Set<String> PATHS = Set.of("/api/health", "/api/ready", "/api/metrics");

    /** True for a (decoded) path these routes answer, with or without a trailing slash; the proxy leaves it alone. */
    public static boolean isOwnPath(String path) {
        if (path == null) {
            return false;
        }
        return PATHS.contains(path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    }

    private final FrontendConfig config;
    private final OkHttpClient readyClient;
    private final HttpUrl backendHealth;
    private final Metrics metrics;

    public OpsRoutes(FrontendConfig config, OkHttpClient client, HttpUrl backendHealth, Metrics metrics) {
        this.config = config;
        this.readyClient = client.newBuilder()
                .callTimeout(config.readyTimeoutMs(), TimeUnit.MILLISECONDS)
                .connectTimeout(Math.min(config.readyTimeoutMs(), config.connectTimeoutMs()), TimeUnit.MILLISECONDS)
                .readTimeout(config.readyTimeoutMs(), TimeUnit.MILLISECONDS)
                .build();
        this.backendHealth = backendHealth;
        this.metrics = metrics;
    }

    public void register(JavalinDefaultRoutingApi routes) {
        for (HandlerType method : new HandlerType[] {HandlerType.GET, HandlerType.HEAD}) {
            routes.addHttpHandler(method, "/api/health", this::health);
            routes.addHttpHandler(method, "/api/ready", this::ready);
            routes.addHttpHandler(method, "/api/metrics", this::metrics);
        }
    }

    private void health(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("service", "frontend");
        body.put("version", config.buildVersion());
        OwnAnswers.json(ctx, 200, body);
    }

    private void ready(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        String problem = backendProblem(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", problem == null ? "ready" : "unavailable");
        body.put("backend", problem == null ? "ok" : problem);
        OwnAnswers.json(ctx, problem == null ? 200 : 503, body);
    }

    /** @return null when the backend's /api/health answers 2xx, else a short reason */
    private String backendProblem(Context ctx) {
        Request request = new Request.Builder()
                .url(backendHealth)
                .header("X-Request-Id", RequestInfo.of(ctx).id())
                .build();
        try (Response response = readyClient.newCall(request).execute()) {
            return response.isSuccessful() ? null : "backend health check answered HTTP " + response.code();
        } catch (ConnectException ex) {
            return "connection refused by " + backendHealth.host() + ":" + backendHealth.port();
        } catch (InterruptedIOException ex) {
            return "no answer within " + config.readyTimeoutMs() + " ms";
        } catch (IOException ex) {
            return "backend health check failed: " + ex.getClass().getSimpleName()
                    + (ex.getMessage() == null ? "" : " " + ex.getMessage());
        }
    }

    private void metrics(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        OwnAnswers.bytes(ctx, 200, metrics.contentType(), metrics.scrape());
    }
}
