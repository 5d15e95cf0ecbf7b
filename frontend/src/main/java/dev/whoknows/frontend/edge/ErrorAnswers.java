package dev.whoknows.frontend.edge;

import dev.whoknows.frontend.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The server's error handler: every error answer Jetty or the edge produces. Under /api/ it is the
 * course's {"statusCode":N,"message":"..."} shape, elsewhere a small HTML page; both with the request id,
 * never a stack trace or Jetty's version.
 */
public final class ErrorAnswers extends ErrorHandler {

    private static final Pattern SENTENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ,.;:'()/!=-]{3,}");
    /** Jetty's terse reasons, said plainly. */
    private static final Map<String, String> PLAIN = Map.of(
            "Authority!=Host", "the Host header does not match the host of the absolute-form request target",
            "Duplicate Host Header", "more than one Host header");

    private final int maxHeaderBytes;

    /** @param maxHeaderBytes FRONTEND_MAX_HEADER_BYTES, named in the 414 and 431 messages */
    public ErrorAnswers(int maxHeaderBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
    }

    /** The course's error shape: {"statusCode":N,"message":"..."}. */
    public static byte[] body(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", status);
        body.put("message", message);
        return Json.object(body).getBytes(StandardCharsets.UTF_8);
    }

    /** The message of a 500 caused by a bug of ours; the request id finds the stack trace in the log. */
    public static String internalError(String requestId) {
        return "Internal error in the frontend (request id " + requestId + ")";
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ERROR_STATUS) instanceof Integer code ? code : 500;
        String message = message(status, (String) request.getAttribute(ERROR_MESSAGE), (Throwable)
                request.getAttribute(ERROR_EXCEPTION));
        RequestInfo info = RequestInfo.of(request);
        HttpFields.Mutable headers = response.getHeaders();
        info.stamp(headers);
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        // a browser gets a page outside /api/; under /api/, and when Jetty could not read the path, JSON
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        boolean html = path != null
                && !Edge.collapseLeadingSlashes(path).startsWith("/api/")
                && accept != null
                && accept.contains("text/html");
        byte[] body = html ? page(status, message) : body(status, message);
        headers.put(HttpHeader.CONTENT_TYPE, html ? "text/html; charset=utf-8" : "application/json");
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.setStatus(status);
        response.write(
                true,
                HttpMethod.HEAD.is(request.getMethod()) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body),
                callback);
        return true;
    }

    /** Answers to requests Jetty could not parse into a request at all: JSON, the caller is rarely a browser. */
    // Jetty 12.1 marks this hook for removal without a replacement for answers to unparseable requests;
    // overriding it is the only way to keep them JSON until Jetty offers one
    @SuppressWarnings("removal")
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(RequestInfo.HEADER, RequestInfo.newId());
        fields.put("X-Content-Type-Options", "nosniff");
        return ByteBuffer.wrap(body(status, message(status, reason, null)));
    }

    /** Jetty's reason, said so a client can act on it; its generic phrases get a specific one. */
    private String message(int status, String reason, Throwable cause) {
        String detail = isGeneric(status, reason) ? null : reason;
        for (Throwable t = cause; detail == null && t != null; t = t.getCause()) {
            detail = isGeneric(status, t.getMessage()) ? null : t.getMessage();
        }
        return switch (status) {
            case 414 ->
                "The request target is longer than the frontend accepts (FRONTEND_MAX_HEADER_BYTES = " + maxHeaderBytes
                        + " bytes)";
            case 431 ->
                "The request headers are larger than the frontend accepts (FRONTEND_MAX_HEADER_BYTES = "
                        + maxHeaderBytes + " bytes)";
            case 400 ->
                "Bad request: "
                        + (detail != null
                                ? PLAIN.getOrDefault(detail, detail)
                                : "the request target is not a valid URI (a stray %, an encoded NUL, or a character that must be "
                                        + "percent-encoded)");
            default -> detail != null ? detail : HttpStatus.getMessage(status);
        };
    }

    /**
     * Null, "Bad Request" or "400: Bad Request": Jetty saying nothing more than the status; or an internal
     * note that is no sentence to show a client (the URI decoder's "!hex z").
     */
    private static boolean isGeneric(int status, String message) {
        if (message == null || message.isBlank() || !SENTENCE.matcher(message).matches()) {
            return true;
        }
        String generic = HttpStatus.getMessage(status);
        return message.equalsIgnoreCase(generic)
                || message.equalsIgnoreCase(status + ": " + generic)
                || message.equalsIgnoreCase(status + " " + generic);
    }

    private static byte[] page(int status, String message) {
        String title = status + " " + HttpStatus.getMessage(status);
        return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                        + "</title></head><body><h1>" + escape(title) + "</h1><p>" + escape(message)
                        + "</p><p><a href=\"/\">Back to the search page</a></p></body></html>")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
