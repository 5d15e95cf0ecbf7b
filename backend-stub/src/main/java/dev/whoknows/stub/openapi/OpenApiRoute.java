package dev.whoknows.stub.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GET /openapi.json: the project's own OpenAPI 3.1 document (classpath resource /openapi.json), its
 * {@code servers} URL pointing at the port the stub really listens on (not the default 5050).
 */
public final class OpenApiRoute {
    public static final String RESOURCE = "/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectNode document;
    private final Map<Integer, byte[]> byPort = new ConcurrentHashMap<>();

    public OpenApiRoute() {
        try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            document = (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void serve(Context ctx) {
        ctx.contentType("application/json").result(forPort(ctx.req().getLocalPort()));
    }

    /** The document with servers[0].url = http://localhost:PORT (serialised once per port). */
    byte[] forPort(int port) {
        return byPort.computeIfAbsent(port, p -> {
            ObjectNode copy = document.deepCopy();
            copy.path("servers").forEach(server -> ((ObjectNode) server).put("url", "http://localhost:" + p));
            try {
                return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(copy);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
