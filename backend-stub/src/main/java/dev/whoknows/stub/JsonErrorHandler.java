package dev.whoknows.stub;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers before a request reaches Javalin (bad request line, headers too large,
 * ambiguous URIs): the same JSON shape as every other error, never an HTML page or a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {
    JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        String reason = HttpStatus.getMessage(code);
        String text = reason == null || reason.isEmpty() ? "Request rejected" : reason;
        String detail = message == null ? "" : message.replaceAll("[^\\x20-\\x7e]", "?");
        if (!detail.isBlank() && !detail.equalsIgnoreCase(text)) {
            text = text + ": " + (detail.length() > 120 ? detail.substring(0, 120) + "..." : detail);
        }
        String json = "{\"statusCode\":" + code + ",\"message\":\""
                + text.replace("\\", "\\\\").replace("\"", "'") + "\"}";
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
