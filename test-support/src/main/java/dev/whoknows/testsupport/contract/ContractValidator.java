package dev.whoknows.testsupport.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a JSON response against the project's OpenAPI 3.1 document (classpath resource
 * {@code /openapi.json}, which ships in backend-stub's jar: a module using this has backend-stub on its
 * test classpath, or its own {@code openapi.json}), using the networknt JSON Schema validator with the
 * OpenAPI 3.1 dialect. Used by the stub's own tests and by the frontend's tests to keep their WireMock
 * stub bodies honest.
 *
 * <p>conformance's {@code Contract} does the same validation for a shipped tool (main code, the
 * course's document): it cannot use this test-scope library, and this cannot use it either (conformance's
 * tests start the stub, so backend-stub → test-support → conformance → backend-stub would be a cycle).
 *
 * <pre>
 * List&lt;String&gt; errors = new ContractValidator().validateResponse("/api/search", "GET", 200, body);
 * assertThat(errors).isEmpty();
 * </pre>
 */
public final class ContractValidator {
    public static final String DOCUMENT = "openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String resource;
    private final JsonNode document;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder -> builder.metaSchema(OpenApi31.getInstance())
                    .defaultMetaSchemaIri(OpenApi31.getInstance().getIri()));
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    public ContractValidator() {
        this(DOCUMENT);
    }

    /** @param resource the OpenAPI document's classpath resource name */
    public ContractValidator(String resource) {
        this.resource = resource;
        try (InputStream in = ContractValidator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath (" + DOCUMENT
                        + " ships in backend-stub's jar: add backend-stub as a test dependency)");
            }
            document = JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode document() {
        return document;
    }

    /**
     * @param path   request path; a query string is ignored
     * @param method HTTP method, any case
     * @param status the response status
     * @param jsonBody the response body
     * @return what is wrong with the response; empty when it matches the document
     */
    public List<String> validateResponse(String path, String method, int status, String jsonBody) {
        String bare = path.split("\\?", 2)[0];
        String verb = method.toLowerCase(Locale.ROOT);
        String where = method.toUpperCase(Locale.ROOT) + " " + bare + " " + status;
        JsonNode operation = document.path("paths").path(bare).path(verb);
        if (operation.isMissingNode()) {
            return List.of(where + ": the document has no operation " + method.toUpperCase(Locale.ROOT) + " " + bare);
        }
        JsonNode responses = operation.path("responses");
        String key = null;
        for (String candidate : List.of(String.valueOf(status), status / 100 + "XX", "default")) {
            if (responses.has(candidate)) {
                key = candidate;
                break;
            }
        }
        if (key == null) {
            return List.of(where + ": status " + status + " is not documented for this operation");
        }
        JsonNode media = responses.path(key).path("content").path("application/json");
        if (media.isMissingNode()) {
            return List.of(where + ": the documented response is not application/json");
        }
        String pointer =
                "/paths/" + escape(bare) + "/" + verb + "/responses/" + key + "/content/application~1json/schema";
        return validate(pointer, jsonBody, where);
    }

    /**
     * What any answer of the service must be: the documented response of its operation, or, for a route
     * or method the document does not have, its {@code ErrorResponse} ({@code {"statusCode":N,"message":"…"}}).
     *
     * @param target the request target as sent: origin-form or absolute-form, with or without a query
     * @return what is wrong with the answer; empty when it matches the document
     */
    public List<String> validateAnswer(String method, String target, int status, String jsonBody) {
        String path = path(target);
        boolean documented = document.path("paths").path(path).has(method.toLowerCase(Locale.ROOT));
        return documented
                ? validateResponse(path, method, status, jsonBody)
                : validateSchema("ErrorResponse", jsonBody).stream()
                        .map(e -> method + " " + path + " " + status + ": " + e)
                        .toList();
    }

    /** The path of a request target: the query dropped, and scheme and authority of an absolute-form one. */
    static String path(String target) {
        String bare = target.split("\\?", 2)[0];
        int scheme = bare.indexOf("://");
        if (scheme > 0 && bare.substring(0, scheme).chars().allMatch(Character::isLetter)) {
            int slash = bare.indexOf('/', scheme + 3);
            return slash < 0 ? "/" : bare.substring(slash);
        }
        return bare;
    }

    /** Validates {@code jsonBody} against {@code #/components/schemas/<name>}. */
    public List<String> validateSchema(String name, String jsonBody) {
        if (!document.path("components").path("schemas").has(name)) {
            return List.of("the document has no schema " + name);
        }
        return validate("/components/schemas/" + escape(name), jsonBody, name);
    }

    private List<String> validate(String pointer, String jsonBody, String where) {
        try {
            JSON.readTree(jsonBody);
        } catch (JsonProcessingException e) {
            return List.of(where + ": body is not JSON: " + e.getOriginalMessage());
        }
        JsonSchema schema = schemas.computeIfAbsent(
                pointer, p -> factory.getSchema(SchemaLocation.of("classpath:" + resource + "#" + p)));
        List<String> errors = new ArrayList<>();
        for (ValidationMessage message : schema.validate(jsonBody, InputFormat.JSON)) {
            errors.add(where + ": " + message.getMessage());
        }
        return errors;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** Operation keys ("get", "post", ...) of a path item, for callers that walk the document. */
    public static List<String> methods(JsonNode pathItem) {
        List<String> methods = new ArrayList<>();
        for (Iterator<String> it = pathItem.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (List.of("get", "put", "post", "delete", "options", "head", "patch", "trace")
                    .contains(name)) {
                methods.add(name);
            }
        }
        return methods;
    }
}
