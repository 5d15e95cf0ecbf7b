package dev.whoknows.frontend;

import dev.whoknows.frontend.forms.Forms;
import dev.whoknows.frontend.ops.AccessLog;
import dev.whoknows.frontend.ops.Metrics;
import dev.whoknows.frontend.ops.OpsRoutes;
import dev.whoknows.frontend.ops.RequestLog;
import dev.whoknows.frontend.pages.PageRoutes;
import dev.whoknows.frontend.pages.StaticFiles;
import dev.whoknows.frontend.pages.StaticHandler;
import dev.whoknows.frontend.proxy.BackendClient;
import dev.whoknows.frontend.proxy.Proxy;
import dev.whoknows.frontend.proxy.Target;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import okhttp3.OkHttpClient;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/** Builds the frontend: the one place where routes are wired. */
public final class FrontendApp {

    private static final Logger LOG = LoggerFactory.getLogger(FrontendApp.class);

    private FrontendApp() {
    }

    /** An unstarted app; start it with {@code app.start()} and read the port with {@code app.port()}. */
    public static Javalin create(FrontendConfig config) {
        Metrics metrics = new Metrics(config.buildVersion());
        OkHttpClient client = BackendClient.create(config);
        Target target = new Target(config.backendUrl());
        OpsRoutes ops = new OpsRoutes(config, client, target.resolve("/api/health"), metrics);
        StaticFiles files = new StaticFiles(config.staticDir());
        PageRoutes pages = new PageRoutes(files);
        AccessLog accessLog = new AccessLog();
        RequestLog requestLog = new RequestLog(metrics, accessLog);
        Proxy proxy = new Proxy(config, client, metrics, requestLog, Forms::answerFor);

        return Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.startupWatcherEnabled = false;
            c.startup.showOldJavalinVersionWarning = false;
            // pages are gzipped once in the cache; proxied bodies pass through as the backend sent them
            c.http.compressionStrategy = CompressionStrategy.NONE;
            c.router.ignoreTrailingSlashes = true;
            c.jetty.port = config.port();
            c.jetty.threadPool = threadPool(config);
            c.jetty.addConnector((server, http) -> {
                // Cached files are answered on the selector threads (StaticHandler): one per core, as nginx
                // runs one worker per core. Jetty's default of cores / 2 left one of two cores idle.
                int cores = Runtime.getRuntime().availableProcessors();
                ServerConnector connector = new ServerConnector(server, 1, cores, new HttpConnectionFactory(http));
                connector.setPort(config.port());
                return connector;
            });
            c.jetty.modifyServer(server -> {
                // Jetty's default stop timeout is 0: without it SIGTERM would cut in-flight requests
                server.setStopTimeout(config.shutdownTimeoutMs());
                // the hot paths run before the servlet layer: every /api/ request but the frontend's own ops
                // routes (Proxy), and in front of all, plain page and asset requests (StaticHandler)
                server.insertHandler(proxy);
                server.insertHandler(new StaticHandler(files, requestLog));
                server.insertHandler(new GracefulHandler());
            });
            c.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(config.maxHeaderBytes());
                http.setResponseHeaderSize(2 * Proxy.MAX_BACKEND_HEADER_BYTES);
                http.setSendServerVersion(false);
                http.setSendXPoweredBy(false);
            });
            c.requestLogger.http(requestLog::log);
            c.events.serverStopped(() -> {
                BackendClient.close(client);
                accessLog.close();
            });

            c.routes.before(ctx -> {
                requestLog.assignId(ctx);
                refuseOddMethods(ctx);
            });
            c.routes.exception(Exception.class, (ex, ctx) -> {
                LOG.error("unexpected error for {} {} rid={}", ctx.req().getMethod(), ctx.path(),
                        Responses.requestId(ctx), ex);
                if (!ctx.res().isCommitted()) {
                    ctx.res().reset();
                    ctx.header(RequestLog.HEADER, Responses.requestId(ctx));
                    Responses.error(ctx, 500, Responses.internalError(Responses.requestId(ctx)));
                }
            });

            // first match wins: ops routes, then pages, then the 404 fallback (the Proxy handler took /api/)
            ops.register(c.routes);
            pages.register(c.routes);
            pages.registerFallback(c.routes);
        });
    }

    private static void refuseOddMethods(Context ctx) {
        Responses.Refusal refusal = Responses.refusal(ctx.req().getMethod(), ctx.header("X-HTTP-Method-Override"));
        if (refusal != null) {
            refusal.headers().forEach(ctx::header);
            Responses.error(ctx, refusal.status(), refusal.message());
            ctx.skipRemainingHandlers();
        }
    }

    /**
     * Blocking proxy calls hold a thread each, so the pool is sized for FRONTEND_MAX_PROXY_REQUESTS slow
     * backend calls plus room for pages. On Java 21+ request handling runs on virtual threads instead.
     */
    private static QueuedThreadPool threadPool(FrontendConfig config) {
        QueuedThreadPool pool = new QueuedThreadPool(config.maxThreads(), 8, 10_000);
        pool.setName("frontend");
        // A burst of new connections starts dozens of platform threads (Jetty opens connections on the
        // pool). Jetty retires only one idle thread per idle timeout by default; their stacks stayed
        // resident for minutes (~10 MB after the benchmark's load).
        pool.setMaxEvictCount(64);
        if (config.virtualThreads() && VirtualThreads.areSupported()) {
            pool.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("frontend-vt"));
        }
        return pool;
    }
}
