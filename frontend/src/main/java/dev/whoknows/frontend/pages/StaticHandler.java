package dev.whoknows.frontend.pages;

import dev.whoknows.frontend.ops.RequestLog;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The hot path for pages and assets: a Jetty handler in front of Javalin that answers plain GET/HEAD
 * requests for files in the cache with the same headers {@link PageRoutes} sends, without the servlet and
 * Javalin layers (with them, a cached CSS file cost about 3 times the CPU).
 *
 * <p>Everything else goes on to Javalin unchanged: other methods and paths, encoded or odd paths, a missing
 * file (the 404 page), and any request carrying the flash cookie (the page must render the message).
 */
public final class StaticHandler extends Handler.Wrapper {

    private final StaticFiles files;
    private final RequestLog requestLog;

    public StaticHandler(StaticFiles files, RequestLog requestLog) {
        this.files = files;
        this.requestLog = requestLog;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long start = System.nanoTime();
        String method = request.getMethod();
        boolean head = HttpMethod.HEAD.is(method);
        String path = request.getHttpURI().getPath();
        String relative = (head || HttpMethod.GET.is(method)) ? fileFor(path) : null;
        if (relative == null || hasFlashCookie(request.getHeaders())) {
            return super.handle(request, response, callback);
        }
        Optional<StaticFiles.Asset> found;
        try {
            found = files.find(relative);
        } catch (RuntimeException ex) {
            return super.handle(request, response, callback); // Javalin answers errors in one place
        }
        if (found.isEmpty()) {
            return super.handle(request, response, callback);
        }
        StaticFiles.Asset asset = found.get();
        HttpFields requestHeaders = request.getHeaders();
        HttpFields.Mutable headers = response.getHeaders();
        String id = RequestLog.idFor(requestHeaders.get(RequestLog.HEADER));
        headers.put(RequestLog.HEADER, id);
        boolean page = !path.startsWith("/static/") && !path.equals("/favicon.ico");
        if (page || asset.isHtml()) {
            PageRoutes.PAGE_HEADERS.forEach(headers::put);
        } else {
            headers.put("X-Content-Type-Options", "nosniff");
        }
        headers.put(HttpHeader.CACHE_CONTROL, "no-cache");
        boolean gzip = asset.gzip() != null && PageRoutes.acceptsGzip(requestHeaders.get(HttpHeader.ACCEPT_ENCODING));
        if (asset.gzip() != null) {
            headers.put(HttpHeader.VARY, "Accept-Encoding");
        }
        headers.put(HttpHeader.ETAG, gzip ? asset.gzipEtag() : asset.etag());
        int status;
        ByteBuffer body;
        if (PageRoutes.matches(requestHeaders.get(HttpHeader.IF_NONE_MATCH), asset)) {
            status = 304;
            body = BufferUtil.EMPTY_BUFFER;
        } else {
            status = 200;
            byte[] bytes = gzip ? asset.gzip() : asset.body();
            if (gzip) {
                headers.put(HttpHeader.CONTENT_ENCODING, "gzip");
            }
            headers.put(HttpHeader.CONTENT_TYPE, asset.contentType());
            headers.put(HttpHeader.CONTENT_LENGTH, bytes.length);
            body = head ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(bytes);
        }
        response.setStatus(status);
        requestLog.record(method, path, status, false, (System.nanoTime() - start) / 1_000_000, page ? "page" : "asset", id);
        response.write(true, body, callback);
        return true;
    }

    /** The static file a clean URL maps to, or null when Javalin should decide. */
    private static String fileFor(String path) {
        if (path == null || path.indexOf('%') >= 0 || path.indexOf(';') >= 0) {
            return null; // decoding and path parameters stay with Javalin's routing
        }
        if (path.startsWith("/static/")) {
            return path.substring("/static/".length());
        }
        if (path.equals("/favicon.ico")) {
            return "img/favicon.ico";
        }
        return PageRoutes.PAGES.get(path);
    }

    private static boolean hasFlashCookie(HttpFields headers) {
        for (HttpField field : headers) {
            if (field.getHeader() == HttpHeader.COOKIE && field.getValue().contains(Flash.COOKIE)) {
                return true;
            }
        }
        return false;
    }
}
