package dev.whoknows.stub.accounts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.whoknows.stub.ApiError;
import dev.whoknows.stub.http.UrlEncoded;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fields of a form post: {@code application/x-www-form-urlencoded} (the course contract) or a JSON
 * object. Bodies are read with a size limit and decoded strictly (bad UTF-8 or JSON is a 400).
 */
final class RequestFields {
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** How much of a refused body is read and dropped so that its 413 reaches the client. */
    static final int DRAIN_LIMIT_BYTES = 4 * MAX_BODY_BYTES;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUPPORTED = "use application/x-www-form-urlencoded or application/json";

    private RequestFields() {}

    /**
     * @param required fields that must be present (422 otherwise)
     * @param optional fields that may be absent (null in the result)
     */
    static Map<String, String> read(Context ctx, List<String> required, List<String> optional) {
        String contentType = ctx.header("Content-Type");
        String mediaType =
                contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        checkCharset(contentType);
        byte[] body = body(ctx);
        Map<String, Object> raw;
        if (mediaType.equals("application/x-www-form-urlencoded")) {
            raw = new HashMap<>(form(body));
        } else if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
            raw = json(body);
        } else if (mediaType.isEmpty() && body.length == 0) {
            raw = Map.of();
        } else {
            String shown = mediaType.isEmpty() ? "none" : ApiError.quote(mediaType);
            throw new ApiError(415, "Unsupported Content-Type " + shown + ": " + SUPPORTED);
        }
        List<FieldErrors.Detail> problems = new ArrayList<>();
        Map<String, String> fields = new HashMap<>();
        for (String name : required) {
            Object value = raw.get(name);
            if (value == null) {
                problems.add(FieldErrors.Detail.missing(name));
            } else if (!(value instanceof String)) {
                problems.add(FieldErrors.Detail.notAString(name));
            } else {
                fields.put(name, (String) value);
            }
        }
        for (String name : optional) {
            Object value = raw.get(name);
            if (value != null && !(value instanceof String)) {
                problems.add(FieldErrors.Detail.notAString(name));
            } else if (value != null) {
                fields.put(name, (String) value);
            }
        }
        if (!problems.isEmpty()) {
            throw new FieldErrors(problems);
        }
        return fields;
    }

    private static void checkCharset(String contentType) {
        if (contentType == null) {
            return;
        }
        for (String param : contentType.split(";", -1)) {
            String[] kv = param.strip().split("=", 2);
            if (kv.length == 2 && kv[0].strip().equalsIgnoreCase("charset")) {
                String charset = kv[1].strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    throw new ApiError(415, "Unsupported charset " + ApiError.quote(charset) + ": use UTF-8");
                }
            }
        }
    }

    private static byte[] body(Context ctx) {
        String length = ctx.header("Content-Length");
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw new ApiError(400, "Content-Length is not a number");
            }
        }
        if (declared > MAX_BODY_BYTES && (declared > DRAIN_LIMIT_BYTES || ctx.header("Expect") != null)) {
            // too large to wait for, or not sent yet (opening the body would send 100 Continue and ask for
            // what is refused)
            throw tooLarge(false);
        }
        // A body over the limit is still read to its end (up to DRAIN_LIMIT_BYTES in all) and dropped
        // before the 413: Jetty closes a connection whose request body is unread, and closing with unread
        // bytes makes the kernel send a reset that can destroy the answer before the client reads it (6 of
        // 300 oversized posts got no answer at all). A longer body is not waited for: its answer says
        // Connection: close.
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            long total = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                if (total > DRAIN_LIMIT_BYTES) {
                    throw tooLarge(false);
                }
                if (total <= MAX_BODY_BYTES) {
                    out.write(buffer, 0, n);
                }
            }
            if (total > MAX_BODY_BYTES) {
                throw tooLarge(true);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new ApiError(400, "Could not read the request body");
        }
    }

    /** {@code drained}: the whole body was read, so the connection can carry the next request. */
    private static ApiError tooLarge(boolean drained) {
        String message = "Request body is larger than " + MAX_BODY_BYTES / 1024 + " KiB";
        return drained ? new ApiError(413, message) : new ApiError(413, message, Map.of("Connection", "close"));
    }

    private static Map<String, String> form(byte[] body) {
        try {
            return UrlEncoded.parse(new String(body, StandardCharsets.ISO_8859_1));
        } catch (UrlEncoded.Malformed e) {
            throw new ApiError(400, "Request body is not valid form data: " + e.getMessage());
        }
    }

    private static Map<String, Object> json(byte[] body) {
        if (body.length == 0) {
            throw new ApiError(400, "Request body is empty: expected a JSON object");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (StreamConstraintsException e) {
            // thrown without a location: nesting too deep, a number or string too long
            throw new ApiError(
                    400, "Request body is JSON beyond the parser's limits (nesting depth, number or text length)");
        } catch (JsonProcessingException e) {
            throw new ApiError(
                    400,
                    "Request body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new ApiError(400, "Could not read the request body");
        }
        if (root == null || !root.isObject()) {
            throw new ApiError(400, "Request body must be a JSON object");
        }
        Map<String, Object> fields = new HashMap<>();
        root.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            fields.put(e.getKey(), v.isTextual() ? v.asText() : v.isNull() ? null : v);
        });
        return fields;
    }
}
