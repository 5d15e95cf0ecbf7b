package dev.whoknows.frontend.pages;

import dev.whoknows.frontend.Responses;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** Clean page URLs, /x.html redirects, /static/** assets and the 404 page. */
public final class PageRoutes {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    /** Sent with every HTML answer, by both the Javalin routes and the {@link StaticHandler} hot path. */
    static final Map<String, String> PAGE_HEADERS = Map.of(
            "Content-Security-Policy", CSP,
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "strict-origin-when-cross-origin",
            "X-Content-Type-Options", "nosniff");

    /** Clean URL -> file in STATIC_DIR. */
    static final Map<String, String> PAGES = Map.of(
            "/", "index.html",
            "/search", "index.html",
            "/login", "login.html",
            "/register", "register.html",
            "/weather", "weather.html",
            "/about", "about.html");

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
            + "<p><a href=\"/\">Back to the search page</a></p></body></html>").getBytes(StandardCharsets.UTF_8);

    private final StaticFiles files;

    public PageRoutes(StaticFiles files) {
        this.files = files;
    }

    public void register(JavalinDefaultRoutingApi routes) {
        for (HandlerType method : new HandlerType[] {HandlerType.GET, HandlerType.HEAD}) {
            PAGES.forEach((url, file) -> routes.addHttpHandler(method, url, ctx -> page(ctx, file)));
            REDIRECTS.forEach((from, to) -> routes.addHttpHandler(method, from, ctx -> redirect(ctx, to)));
            routes.addHttpHandler(method, "/static/<path>", this::asset);
            routes.addHttpHandler(method, "/favicon.ico", ctx -> serveAsset(ctx, "img/favicon.ico"));
        }
    }

    /** Registered last: whatever no other route took. */
    public void registerFallback(JavalinDefaultRoutingApi routes) {
        for (HandlerType method : Responses.METHODS) {
            routes.addHttpHandler(method, "/<path>", this::notFound);
            if (!method.equals(HandlerType.GET) && !method.equals(HandlerType.HEAD)) {
                routes.addHttpHandler(method, "/", this::notFound);
            }
        }
    }

    private void page(Context ctx, String file) {
        Optional<StaticFiles.Asset> asset = files.find(file);
        if (asset.isEmpty()) {
            notFound(ctx);
            return;
        }
        Responses.routeClass(ctx, "page");
        html(ctx, 200, asset.get());
    }

    private void redirect(Context ctx, String to) {
        Responses.routeClass(ctx, "page");
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
        Responses.routeClass(ctx, "asset");
        if (asset.get().isHtml()) {
            securityHeaders(ctx);
        }
        send(ctx, 200, asset.get(), "no-cache");
    }

    public void notFound(Context ctx) {
        Responses.routeClass(ctx, ctx.path().startsWith("/static/") ? "asset" : "page");
        Optional<StaticFiles.Asset> page = files.find("404.html");
        if (page.isPresent()) {
            html(ctx, 404, page.get());
        } else {
            securityHeaders(ctx);
            ctx.header("Cache-Control", "no-cache");
            Responses.bytes(ctx, 404, "text/html; charset=utf-8", FALLBACK_404);
        }
    }

    private void html(Context ctx, int status, StaticFiles.Asset asset) {
        securityHeaders(ctx);
        Optional<Flash> flash = Optional.ofNullable(ctx.cookie(Flash.COOKIE)).flatMap(Flash::parse);
        if (ctx.cookie(Flash.COOKIE) != null) {
            ctx.res().addHeader("Set-Cookie", Flash.expireCookieHeader());
        }
        if (flash.isPresent()) {
            ctx.header("Cache-Control", "no-store");
            Responses.bytes(ctx, status, asset.contentType(), flash.get().renderInto(asset.body()));
            return;
        }
        send(ctx, status, asset, "no-cache");
    }

    /**
     * Writes an asset with its content-hash ETag. "no-cache" lets browsers keep a copy but revalidate
     * it on every use (a cheap 304), so a redeploy is visible on the next request.
     */
    private static void send(Context ctx, int status, StaticFiles.Asset asset, String cacheControl) {
        boolean gzip = asset.gzip() != null && acceptsGzip(ctx.header("Accept-Encoding"));
        String etag = gzip ? asset.gzipEtag() : asset.etag();
        ctx.header("Cache-Control", cacheControl);
        if (asset.gzip() != null) {
            ctx.header("Vary", "Accept-Encoding");
        }
        if (status == 200) {
            ctx.header("ETag", etag);
            if (matches(ctx.header("If-None-Match"), asset)) {
                ctx.status(304);
                return;
            }
        }
        if (gzip) {
            ctx.header("Content-Encoding", "gzip");
            Responses.bytes(ctx, status, asset.contentType(), asset.gzip());
        } else {
            Responses.bytes(ctx, status, asset.contentType(), asset.body());
        }
    }

    /** If-None-Match uses weak comparison, so either encoding's tag of the current content counts. */
    static boolean matches(String ifNoneMatch, StaticFiles.Asset asset) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String raw : ifNoneMatch.split(",", -1)) {
            String tag = raw.strip();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(asset.etag()) || tag.equals(asset.gzipEtag())) {
                return true;
            }
        }
        return false;
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",", -1)) {
            String[] pieces = part.split(";", -1);
            String coding = pieces[0].strip();
            if (coding.equalsIgnoreCase("gzip") || coding.equals("*")) {
                return Responses.qValue(pieces) > 0;
            }
        }
        return false;
    }


    static void securityHeaders(Context ctx) {
        PAGE_HEADERS.forEach(ctx::header);
    }
}
