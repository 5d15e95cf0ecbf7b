package dev.whoknows.frontend.pages;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * The hot path for pages and assets: a Jetty handler in front of Javalin that answers plain GET/HEAD
 * requests for files in the cache with the same headers {@link PageRoutes} sends, without the servlet and
 * Javalin layers (with them, a cached CSS file cost about 3 times the CPU).
 *
 * <p>It is the outermost handler of the app and tells Jetty it never blocks, so Jetty runs it on the thread
 * that read the request: a cached, unchanged file is answered there with one stat and one write, without
 * handing the request to another thread (nginx's model). Everything else is handed on to the handlers
 * behind it on a request thread (virtual on Java 21+), where blocking is fine: other methods and paths
 * (the proxy, Javalin), encoded or odd paths, files that must be read first, a missing file (the 404
 * page), and any request carrying the flash cookie (the page must render the message).
 */
public final class StaticHandler extends Handler.Wrapper {

    private final StaticFiles files;
    private Executor executor;

    public StaticHandler(StaticFiles files) {
        this.files = files;
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    protected void doStart() throws Exception {
        ThreadPool pool = getServer().getThreadPool();
        Executor virtual = VirtualThreads.getVirtualThreadsExecutor(pool);
        executor = virtual != null ? virtual : pool;
        super.doStart();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String relative = servable(request);
        StaticFiles.Asset asset = relative == null ? null : files.fresh(relative);
        if (asset != null) {
            send(request, response, callback, asset);
            return true;
        }
        executor.execute(() -> {
            try {
                if (!handOn(request, response, callback, relative)) {
                    Response.writeError(request, response, callback, 404);
                }
            } catch (Throwable ex) {
                Response.writeError(request, response, callback, ex);
            }
        });
        return true;
    }

    /** On a request thread: read the file if it must be, otherwise let the handlers behind answer. */
    private boolean handOn(Request request, Response response, Callback callback, String relative) throws Exception {
        if (relative != null) {
            Optional<StaticFiles.Asset> found;
            try {
                found = files.find(relative);
            } catch (RuntimeException ex) {
                found = Optional.empty(); // Javalin answers errors in one place
            }
            if (found.isPresent()) {
                send(request, response, callback, found.get());
                return true;
            }
        }
        return super.handle(request, response, callback);
    }

    /** The cached file a plain GET/HEAD asks for, or null when the handlers behind decide. */
    private static String servable(Request request) {
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            return null;
        }
        String relative = fileFor(request.getHttpURI().getPath());
        return relative == null || hasFlashCookie(request.getHeaders()) ? null : relative;
    }

    /** The edge has set the request id and security headers. */
    private void send(Request request, Response response, Callback callback, StaticFiles.Asset asset) {
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        HttpFields requestHeaders = request.getHeaders();
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(
                HttpHeader.CACHE_CONTROL,
                StaticFiles.cacheControl(asset, request.getHttpURI().getQuery()));
        boolean gzip = asset.gzip() != null && PageRoutes.acceptsGzip(requestHeaders.get(HttpHeader.ACCEPT_ENCODING));
        if (asset.gzip() != null) {
            headers.put(HttpHeader.VARY, "Accept-Encoding");
        }
        headers.put(HttpHeader.ETAG, gzip ? asset.gzipEtag() : asset.etag());
        int status;
        ByteBuffer body;
        if (asset.matches(requestHeaders.get(HttpHeader.IF_NONE_MATCH))) {
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
        response.write(true, body, callback);
    }

    /** The static file a clean URL maps to, or null when Javalin should decide. */
    private static String fileFor(String path) {
        if (path == null || path.indexOf('%') >= 0 || path.indexOf(';') >= 0) {
            return null; // decoding and path parameters stay with Javalin's routing
        }
        if (path.startsWith("/static/")) {
            return path.substring("/static/".length());
        }
        String rootFile = PageRoutes.ROOT_FILES.get(path);
        return rootFile != null ? rootFile : PageRoutes.PAGES.get(path);
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
