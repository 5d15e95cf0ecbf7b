package dev.whoknows.stub;

import dev.whoknows.stub.accounts.AccountRoutes;
import dev.whoknows.stub.accounts.FieldErrors;
import dev.whoknows.stub.accounts.LoginThrottle;
import dev.whoknows.stub.accounts.PasswordHasher;
import dev.whoknows.stub.metrics.StubMetrics;
import dev.whoknows.stub.openapi.OpenApiRoute;
import dev.whoknows.stub.search.PageIndex;
import dev.whoknows.stub.search.SearchRoutes;
import dev.whoknows.stub.weather.Forecast;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.Map;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the stub backend: every route, error mapping and server setting is wired here. */
public final class StubApp {
    private static final Logger log = LoggerFactory.getLogger(StubApp.class);

    public record Health(String status, String service, String version) {}

    private StubApp() {}

    public static Javalin create(StubConfig config) {
        return create(config, Clock.system(Forecast.ZONE));
    }

    /** @param clock today's date for the forecast; session and throttle timing */
    public static Javalin create(StubConfig config, Clock clock) {
        PageIndex pages = config.pagesFile().map(PageIndex::fromFile).orElseGet(PageIndex::bundled);
        SearchRoutes search = new SearchRoutes(pages);
        AccountRoutes accounts = new AccountRoutes(
                new PasswordHasher(PasswordHasher.DEFAULT_ITERATIONS),
                new LoginThrottle(LoginThrottle.DEFAULT_MAX_FAILURES, LoginThrottle.DEFAULT_WINDOW, clock),
                clock);
        OpenApiRoute openApi = new OpenApiRoute();
        Health health = new Health("ok", "backend-stub", config.buildVersion());
        Faults faults = new Faults(config.faults());
        StubMetrics metrics = new StubMetrics(config.buildVersion());

        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.port = config.port();
            cfg.http.maxRequestSize = 64 * 1024;
            cfg.http.prefer405over404 = true;
            cfg.jetty.modifyServer(server -> {
                server.setStopTimeout(config.shutdownTimeoutMs()); // Javalin 7 leaves it at 0
                server.setErrorHandler(new JsonErrorHandler());
                server.addEventListener(new LifeCycle.Listener() {
                    @Override
                    public void lifeCycleStarted(LifeCycle event) {
                        announce(config, pages, localPort(server));
                    }
                });
            });
            cfg.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JsonErrorHandler()));
            // path only: a query string or body could carry something private
            cfg.requestLogger.http((ctx, ms) -> log.info(
                    "{} {} {} {}ms{}",
                    ctx.method(),
                    shorten(ctx.path()),
                    ctx.statusCode(),
                    Math.round(ms),
                    requestId(ctx)));
            cfg.requestLogger.http(metrics::observe);

            var routes = cfg.routes;
            routes.before(StubApp::refuseTraceAndConnect);
            routes.before(faults::apply);

            routes.get("/api/search", search::search);
            routes.post("/api/register", accounts::register);
            routes.post("/api/login", accounts::login);
            routes.get("/api/logout", accounts::logout);
            routes.get("/api/session", accounts::session);
            routes.get("/api/weather", ctx -> ctx.json(new Forecast.Response(Forecast.at(ZonedDateTime.now(clock)))));
            routes.get("/api/health", ctx -> ctx.json(health));
            routes.get("/openapi.json", openApi::serve);
            routes.get(StubMetrics.PATH, metrics::serve);

            routes.exception(ApiError.class, StubApp::render);
            routes.exception(FieldErrors.class, (e, ctx) -> ctx.status(422).json(e.body()));
            routes.exception(
                    HttpResponseException.class, (e, ctx) -> render(new ApiError(e.getStatus(), e.getMessage()), ctx));
            routes.exception(Exception.class, (e, ctx) -> {
                log.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
                render(new ApiError(500, "Internal server error: the stub could not answer this request"), ctx);
            });
            routes.error(
                    404,
                    ctx -> ctx.json(new ApiError.Body(404, "Not found: " + ctx.method() + " " + shorten(ctx.path()))));
            routes.error(
                    405,
                    ctx -> ctx.json(new ApiError.Body(
                            405, "Method " + ctx.method() + " is not allowed on " + shorten(ctx.path()))));
        });
    }

    /** The stub's one start line (Jetty's and Javalin's own INFO lines are off, see Main). */
    private static void announce(StubConfig config, PageIndex pages, int port) {
        log.info(
                "backend-stub {} listening on port {} with {} pages ({} en, {} da) from {}",
                config.buildVersion(),
                port,
                pages.size("en") + pages.size("da"),
                pages.size("en"),
                pages.size("da"),
                config.pagesFile().map(p -> "STUB_PAGES_FILE " + p).orElse("the bundled fixture"));
        if (config.faults()) {
            log.warn(
                    "STUB_FAULTS=on: any request may set {} and {} to delay or fail its answer;"
                            + " never use this setting in production",
                    Faults.DELAY,
                    Faults.STATUS);
        }
    }

    private static int localPort(Server server) {
        for (var connector : server.getConnectors()) {
            if (connector instanceof NetworkConnector network) {
                return network.getLocalPort();
            }
        }
        return -1;
    }

    private static void refuseTraceAndConnect(Context ctx) {
        if (ctx.method().equals(HandlerType.TRACE) || ctx.method().equals(HandlerType.CONNECT)) {
            throw new ApiError(405, "Method " + ctx.method() + " is not allowed", Map.of("Allow", "GET, POST"));
        }
    }

    private static void render(ApiError e, Context ctx) {
        e.headers().forEach(ctx::header);
        ctx.status(e.status()).json(e.body());
    }

    /** The frontend's X-Request-Id, when it looks like one, so log lines of both services line up. */
    private static String requestId(Context ctx) {
        String id = ctx.header("X-Request-Id");
        return id != null && id.matches("[A-Za-z0-9._-]{1,64}") ? " rid=" + id : "";
    }

    private static String shorten(String path) {
        return path.length() > 100 ? path.substring(0, 100) + "..." : path;
    }
}
