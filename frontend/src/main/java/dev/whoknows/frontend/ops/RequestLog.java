package dev.whoknows.frontend.ops;

import dev.whoknows.frontend.edge.RequestInfo;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.NanoTime;

/**
 * Jetty's request log for the whole server: called once for every request when its answer is done,
 * including those Jetty refuses itself (400 bad URI, 414, 431). Counts it and writes one access-log line
 * with method, path (never the query, which can carry search terms), status, time and request id.
 * Headers, cookies and bodies are never logged. It runs on selector threads too, so it never blocks
 * ({@link AccessLog}).
 */
public final class RequestLog implements org.eclipse.jetty.server.RequestLog {

    private final Metrics metrics;
    private final AccessLog access;

    public RequestLog(Metrics metrics, AccessLog access) {
        this.metrics = metrics;
        this.access = access;
    }

    @Override
    public void log(Request request, Response response) {
        RequestInfo info = RequestInfo.of(request);
        int status = response.getStatus();
        long ms = NanoTime.millisSince(request.getBeginNanoTime());
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        metrics.request(info.routeClass(), path == null ? "-" : path, status, ms);
        if (access.enabled()) {
            access.info(request.getMethod() + " " + printable(path == null ? "-" : path) + " " + status
                    + (info.aborted() ? " aborted " : " ") + ms + "ms rid=" + info.id());
        }
    }

    /** The path with anything but visible ASCII shown as '?', cut at 300 characters. */
    static String printable(String path) {
        int length = Math.min(path.length(), 300);
        StringBuilder shown = null;
        for (int i = 0; i < length; i++) {
            char c = path.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                if (shown == null) {
                    shown = new StringBuilder(length + 3).append(path, 0, i);
                }
                shown.append('?');
            } else if (shown != null) {
                shown.append(c);
            }
        }
        String result = shown != null ? shown.toString() : path.substring(0, length);
        return path.length() > 300 ? result + "..." : result;
    }
}
