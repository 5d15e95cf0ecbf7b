package dev.whoknows.frontend.pages;

import dev.whoknows.frontend.OwnAnswers;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.QuotedQualityCSV;

/** Clean page URLs, /x.html redirects, /static/** assets and the 404 page. */
public final class PageRoutes {

    /** Clean URL -> file in STATIC_DIR. */
    static final Map<String, String> PAGES = Map.of(
            "/", "index.html",
            "/search", "index.html",
            "/login", "login.html",
            "/register", "register.html",
            "/weather", "weather.html",
            "/about", "about.html");

    /** Files that clients look for at the site's root -> file in STATIC_DIR (served like /static/ assets). */
    public static final Map<String, String> ROOT_FILES = Map.of(
            "/favicon.ico", "img/favicon.ico",
            "/robots.txt", "robots.txt");

    /** Old-style file URL -> clean URL (301, query kept). */
    static final Map<String, String> REDIRECTS = Map.of(
            "/index.html", "/",
            "/search.html", "/search",
            "/login.html", "/login",
            "/register.html", "/register",
            "/weather.html", "/weather",
            "/about.html", "/about");

    private static final byte[] FALLBACK_404 = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                    + "<title>Page not found</title></head><body><ul class=\"flashes\"></ul><h1>Page not found</h1>"
                    + "<p><a href=\"/\">Back to the search page</a></p></body></html>")
            .getBytes(StandardCharsets.UTF_8);

    private final StaticFiles files;

    /** A clean page URL or an old-style one ("/login", "/login.html"). */
    public static boolean isPageUrl(String path) {
        return PAGES.containsKey(path) || REDIRECTS.containsKey(path);
    }

    public PageRoutes(StaticFiles files) {
        this.files = files;
    }

    public void register(JavalinDefaultRoutingApi routes) {
        for (HandlerType method : new HandlerType[] {HandlerType.GET, HandlerType.HEAD}) {
            PAGES.forEach((url, file) -> routes.addHttpHandler(method, url, ctx -> page(ctx, file)));
            REDIRECTS.forEach((from, to) -> routes.addHttpHandler(method, from, ctx -> redirect(ctx, to)));
            routes.addHttpHandler(method, "/static/<path>", this::asset);
            ROOT_FILES.forEach((url, file) -> routes.addHttpHandler(method, url, ctx -> serveAsset(ctx, file)));
        }
    }

    /** Registered last: whatever no other route took. */
    public void registerFallback(JavalinDefaultRoutingApi routes) {
        // the edge refuses every other method outside /api/ (405)
        for (HandlerType method : new HandlerType[] {HandlerType.GET, HandlerType.HEAD}) {
            routes.addHttpHandler(method, "/<path>", this::notFound);
        }
    }

    private void page(Context ctx, String file) {
        Optional<StaticFiles.Asset> asset = files.find(file);
        if (asset.isEmpty()) {
            notFound(ctx);
            return;
        }
        html(ctx, 200, asset.get());
    }

    private void redirect(Context ctx, String to) {
        String query = ctx.queryString();
        ctx.status(301);
        ctx.header("Location", query == null ? to : to + "?" + query);
        ctx.header("Cache-Control", "no-cache");
    }

    private void asset(Context ctx) {
        serveAsset(ctx, ctx.pathParam("path"));
    }

    private void serveAsset(Context ctx, String relative) {
        Optional<StaticFiles.Asset> asset = files.find(relative);
        if (asset.isEmpty()) {
            notFound(ctx);
            return;
        }
        send(ctx, 200, asset.get(), StaticFiles.cacheControl(asset.get(), ctx.queryString()));
    }

    public void notFound(Context ctx) {
        Optional<StaticFiles.Asset> page = files.find("404.html");
        if (page.isPresent()) {
            html(ctx, 404, page.get());
        } else {
            ctx.header("Cache-Control", "no-cache");
            OwnAnswers.bytes(ctx, 404, "text/html; charset=utf-8", FALLBACK_404);
        }
    }

    private void html(Context ctx, int status, StaticFiles.Asset asset) {
        Optional<Flash> flash = Optional.ofNullable(ctx.cookie(Flash.COOKIE)).flatMap(Flash::parse);
        if (ctx.cookie(Flash.COOKIE) != null) {
            ctx.res().addHeader("Set-Cookie", Flash.expireCookieHeader());
        }
        if (flash.isPresent()) {
            ctx.header("Cache-Control", "no-store");
            OwnAnswers.bytes(ctx, status, asset.contentType(), flash.get().renderInto(asset.body()));
            return;
        }
        send(ctx, status, asset, "no-cache");
    }

    /** Writes an asset with its content-hash ETag and the Cache-Control {@link StaticFiles#cacheControl} chose. */
    private static void send(Context ctx, int status, StaticFiles.Asset asset, String cacheControl) {
        boolean gzip = asset.gzip() != null && acceptsGzip(ctx.header("Accept-Encoding"));
        String etag = gzip ? asset.gzipEtag() : asset.etag();
        ctx.header("Cache-Control", cacheControl);
        if (asset.gzip() != null) {
            ctx.header("Vary", "Accept-Encoding");
        }
        if (status == 200) {
            ctx.header("ETag", etag);
            if (asset.matches(ctx.header("If-None-Match"))) {
                ctx.status(304);
                ctx.res().setContentType(null); // Javalin's default text/plain: the hot path's 304 has none
                return;
            }
        }
        if (gzip) {
            ctx.header("Content-Encoding", "gzip");
            OwnAnswers.bytes(ctx, status, asset.contentType(), asset.gzip());
        } else {
            OwnAnswers.bytes(ctx, status, asset.contentType(), asset.body());
        }
    }

    /** Whether Accept-Encoding allows gzip with a q above 0 (by name, else by "*"), by Jetty's parser. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        QuotedQualityCSV codings = new QuotedQualityCSV();
        codings.addValue(acceptEncoding);
        double any = 0;
        for (QuotedQualityCSV.QualityValue coding : codings.getQualityValues()) {
            if (coding.getValue().equalsIgnoreCase("gzip")) {
                return coding.getWeight() > 0 && coding.getWeight() <= 1;
            }
            if (coding.getValue().equals("*")) {
                any = coding.getWeight();
            }
        }
        return any > 0 && any <= 1;
    }
}
