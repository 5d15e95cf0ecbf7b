package dev.whoknows.frontend;

import dev.whoknows.frontend.edge.Edge;
import dev.whoknows.frontend.edge.ErrorAnswers;
import dev.whoknows.frontend.edge.RequestInfo;
import dev.whoknows.frontend.forms.Forms;
import dev.whoknows.frontend.ops.AccessLog;
import dev.whoknows.frontend.ops.Metrics;
import dev.whoknows.frontend.ops.OpsRoutes;
import dev.whoknows.frontend.ops.RequestLog;
import dev.whoknows.frontend.pages.PageRoutes;
import dev.whoknows.frontend.pages.StaticFiles;
import dev.whoknows.frontend.pages.StaticHandler;
import dev.whoknows.frontend.proxy.BackendClient;
import dev.whoknows.frontend.proxy.BackendToProxy;
import dev.whoknows.frontend.proxy.Proxy;
import dev.whoknows.frontend.proxy.Target;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import java.time.Clock;
import java.util.function.Predicate;
import okhttp3.OkHttpClient;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the frontend: the one place where routes are wired. */
public final class FrontendApp {

    private static final Logger LOG = LoggerFactory.getLogger(FrontendApp.class);

    private FrontendApp() {}

    /**
     * What the app uses from outside besides its configuration; tests pass their own.
     *
     * @param clock   wall-clock time (when a static file counts as settled on disk)
     * @param backend the backend client ({@link BackendClient#create}); the app closes it when it stops
     */
    public record Deps(Clock clock, OkHttpClient backend) {
        public static Deps of(FrontendConfig config) {
            return new Deps(Clock.systemUTC(), BackendClient.create(config));
        }
    }

    /** An unstarted app; start it with {@code app.start()} and read the port with {@code app.port()}. */
    public static Javalin create(FrontendConfig config) {
        return create(config, Deps.of(config));
    }

    public static Javalin create(FrontendConfig config, Deps deps) {
        Metrics metrics = new Metrics(config.buildVersion());
        OkHttpClient client = deps.backend();
        Target target = new Target(config.backendUrl());
        OpsRoutes ops = new OpsRoutes(config, client, target.resolve("/api/health"), metrics);
        StaticFiles files = new StaticFiles(config.staticDir(), config.staticReload(), deps.clock());
        PageRoutes pages = new PageRoutes(files);
        AccessLog accessLog = new AccessLog();
        // which requests the frontend answers itself under /api/, and so which ones reach the proxy
        Predicate<Request> ownApi = request -> OpsRoutes.isOwnPath(Request.getPathInContext(request));
        // (the raw path: "/api/%2e%2e/x" must reach the proxy's target check and get its 400, not a page)
        Predicate<Request> proxied =
                request -> request.getHttpURI().getPath().startsWith("/api/") && !ownApi.test(request);
        Proxy proxy = new Proxy(config, client, metrics, proxied, Forms::answerFor);

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
                // routes (Proxy), and in front of them plain page and asset requests (StaticHandler); in
                // front of all, the edge every request passes (id, headers, method policy)
                server.insertHandler(proxy);
                server.insertHandler(new StaticHandler(files));
                server.insertHandler(new Edge(ownApi, PageRoutes::isPageUrl));
                server.insertHandler(new GracefulHandler());
                // every error answer Jetty or the edge writes, and one log line for every request
                server.setErrorHandler(new ErrorAnswers(config.maxHeaderBytes()));
                server.setRequestLog(new RequestLog(metrics, accessLog));
            });
            c.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(config.maxHeaderBytes());
                http.setResponseHeaderSize(2 * BackendToProxy.MAX_BACKEND_HEADER_BYTES);
                http.setSendServerVersion(false);
                http.setSendXPoweredBy(false);
            });
            c.events.serverStopped(() -> {
                BackendClient.close(client);
                accessLog.close();
            });

            c.routes.exception(Exception.class, (ex, ctx) -> {
                RequestInfo info = RequestInfo.of(ctx);
                LOG.error("unexpected error for {} {} rid={}", ctx.req().getMethod(), ctx.path(), info.id(), ex);
                if (!ctx.res().isCommitted()) {
                    ctx.res().reset();
                    info.stamp(ctx);
                    OwnAnswers.error(ctx, 500, ErrorAnswers.internalError(info.id()));
                }
            });

            // first match wins: ops routes, then pages, then the 404 fallback (the Proxy handler took /api/)
            ops.register(c.routes);
            pages.register(c.routes);
            pages.registerFallback(c.routes);
        });
    }

    /**
     * Blocking proxy calls hold a thread each, so the pool is sized for FRONTEND_MAX_PROXY_REQUESTS slow
     * backend calls plus room for pages. On Java 21+ request handling runs on virtual threads instead.
     */
    private static QueuedThreadPool threadPool(FrontendConfig config) {
        QueuedThreadPool pool = new ResumingThreadPool(config.maxThreads());
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

    /**
     * Jetty's pool, except that a virtual thread that ends a request goes on with its connection itself.
     *
     * <p>A request answered on another thread than the one that read it (every proxied request: its virtual
     * thread writes the answer) ends with Jetty handing the connection to a pool thread, which reads the
     * next request or, almost always, finds none yet and gives the connection back to its selector
     * ({@code HttpConnection}'s "non-current completion"). That platform thread's waking and parking again were
     * ~9 % of a proxied search's CPU samples. A virtual thread may block, so it can do that
     * step itself: in paired runs ~10 % less CPU per proxied request and ~10 % more of them per second
     * (bench/NOTES.md item 9). Any other job, and a connection handed over by a platform thread (a selector
     * must never run a request), goes to the pool as before.
     */
    private static final class ResumingThreadPool extends QueuedThreadPool {
        ResumingThreadPool(int maxThreads) {
            super(maxThreads, 8, 10_000);
        }

        @Override
        public void execute(Runnable job) {
            if (job instanceof Connection && VirtualThreads.isVirtualThread()) {
                job.run();
            } else {
                super.execute(job);
            }
        }
    }
}
