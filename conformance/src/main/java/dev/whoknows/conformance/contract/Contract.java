package dev.whoknows.conformance.contract;

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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The course's OpenAPI 3.1 document (a copy bundled in this jar) and what the checks ask of it: the
 * operations, their parameters and form fields, the statuses and media types they document, and the
 * validation of an answer's body against the documented schema (networknt, OpenAPI 3.1 dialect).
 */
public final class Contract {
    public static final String RESOURCE = "dev/whoknows/conformance/whoknows-course-openapi.json";
    public static final String FORM = "application/x-www-form-urlencoded";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

    /** An operation of the document. */
    public record Operation(String method, String path, JsonNode node) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** A query parameter or a field of a form body. */
    public record Field(String name, boolean required, JsonNode schema) {}

    private final JsonNode document;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder -> builder.metaSchema(OpenApi31.getInstance())
                    .defaultMetaSchemaIri(OpenApi31.getInstance().getIri()));
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    private Contract(JsonNode document) {
        this.document = document;
    }

    public static Contract bundled() {
        try (InputStream in = Contract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new Contract(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String title() {
        return document.path("info").path("title").asText() + " "
                + document.path("info").path("version").asText() + " (OpenAPI "
                + document.path("openapi").asText() + ")";
    }

    public List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths =
                        document.path("paths").fields();
                paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : METHODS) {
                if (path.getValue().has(method)) {
                    operations.add(new Operation(
                            method.toUpperCase(Locale.ROOT),
                            path.getKey(),
                            path.getValue().get(method)));
                }
            }
        }
        return operations;
    }

    public Optional<Operation> operation(String method, String path) {
        JsonNode node = document.path("paths").path(path).path(method.toLowerCase(Locale.ROOT));
        return node.isMissingNode()
                ? Optional.empty()
                : Optional.of(new Operation(method.toUpperCase(Locale.ROOT), path, node));
    }

    /** Query parameters, in document order. */
    public List<Field> queryParameters(Operation operation) {
        List<Field> fields = new ArrayList<>();
        for (JsonNode parameter : operation.node().path("parameters")) {
            if ("query".equals(parameter.path("in").asText())) {
                fields.add(new Field(
                        parameter.path("name").asText(),
                        parameter.path("required").asBoolean(),
                        resolve(parameter.path("schema"))));
            }
        }
        return fields;
    }

    /** The fields of a form-urlencoded request body, in document order; empty when there is none. */
    public List<Field> formFields(Operation operation) {
        JsonNode schema = resolve(
                operation.node().path("requestBody").path("content").path(FORM).path("schema"));
        List<Field> fields = new ArrayList<>();
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        schema.path("properties").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            fields.add(
                    new Field(property.getKey(), required.contains(property.getKey()), resolve(property.getValue())));
        }
        return fields;
    }

    public List<Integer> documentedStatuses(Operation operation) {
        List<Integer> statuses = new ArrayList<>();
        operation.node().path("responses").fieldNames().forEachRemaining(key -> {
            if (key.matches("\\d{3}")) {
                statuses.add(Integer.parseInt(key));
            }
        });
        return statuses;
    }

    /** The documented response for a status ({@code 404}, else {@code 4XX}, else {@code default}). */
    private Optional<String> responseKey(Operation operation, int status) {
        JsonNode responses = operation.node().path("responses");
        for (String key : List.of(String.valueOf(status), status / 100 + "XX", "default")) {
            if (responses.has(key)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    public boolean documents(Operation operation, int status) {
        return responseKey(operation, status).isPresent();
    }

    /** The media type the document gives for this status ({@code application/json}, {@code text/html}). */
    public Optional<String> mediaType(Operation operation, int status) {
        return responseKey(operation, status).flatMap(key -> {
            Iterator<String> types =
                    operation.node().path("responses").path(key).path("content").fieldNames();
            return types.hasNext() ? Optional.of(types.next()) : Optional.empty();
        });
    }

    /** The documented response schema for a status, resolved, or a missing node. */
    public JsonNode responseSchema(Operation operation, int status) {
        return responseKey(operation, status)
                .flatMap(key -> mediaType(operation, status)
                        .map(type -> resolve(operation
                                .node()
                                .path("responses")
                                .path(key)
                                .path("content")
                                .path(type)
                                .path("schema"))))
                .orElse(JSON.missingNode());
    }

    /**
     * What is wrong with an answer: the status is not documented, or the body does not validate against
     * the documented schema. JSON is parsed whatever the Content-Type says (the content-type check judges
     * the header). Empty when the answer matches.
     */
    public List<String> validate(Operation operation, int status, String body) {
        Optional<String> key = responseKey(operation, status);
        if (key.isEmpty()) {
            return List.of("status " + status + " is not one the contract documents for " + operation + " "
                    + documentedStatuses(operation));
        }
        Optional<String> type = mediaType(operation, status);
        if (type.isEmpty() || !type.get().contains("json")) {
            return List.of();
        }
        try {
            JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return List.of("body is not JSON: " + e.getOriginalMessage());
        }
        String pointer =
                "/paths/" + escape(operation.path()) + "/" + operation.method().toLowerCase(Locale.ROOT) + "/responses/"
                        + key.get() + "/content/" + escape(type.get()) + "/schema";
        JsonSchema schema = schemas.computeIfAbsent(
                pointer, p -> factory.getSchema(SchemaLocation.of("classpath:" + RESOURCE + "#" + p)));
        List<String> errors = new ArrayList<>();
        for (ValidationMessage message : schema.validate(body, InputFormat.JSON)) {
            errors.add("body does not match the contract's " + schemaName(operation, status) + ": "
                    + message.getMessage());
        }
        return errors;
    }

    /** The schema's title (e.g. {@code SearchResponse}), for messages. */
    public String schemaName(Operation operation, int status) {
        JsonNode schema = responseSchema(operation, status);
        return schema.path("title").asText("schema");
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode node = schema;
        for (int depth = 0; depth < 10 && node.has("$ref"); depth++) {
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#")) {
                break;
            }
            node = document.at(ref.substring(1));
        }
        return node;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    public static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return JSON.missingNode();
        }
    }
}
