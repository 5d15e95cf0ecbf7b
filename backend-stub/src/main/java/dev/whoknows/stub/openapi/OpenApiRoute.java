package dev.whoknows.stub.openapi;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** GET /openapi.json: the project's own OpenAPI 3.1 document (classpath resource /openapi.json). */
public final class OpenApiRoute {
    public static final String RESOURCE = "/openapi.json";
    private final byte[] document;

    public OpenApiRoute() {
        try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void serve(Context ctx) {
        ctx.contentType("application/json").result(document);
    }
}
