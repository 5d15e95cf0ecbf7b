package dev.whoknows.stub.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.whoknows.testsupport.contract.ContractValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Our document must keep every path, method, parameter, request body, response schema and component
 * schema the course contract defines. A response schema may only narrow the course's: either the
 * same schema, or {@code allOf} whose first member is the course's schema.
 */
class OpenApiDriftTest {
    static final String COURSE_PROPERTY = "whoknows.courseSpec";
    static final Path COURSE_DEFAULT = Path.of("..", "..", "shared", "reference", "whoknows-course-openapi.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode ours = new ContractValidator().document();

    @Test
    void ourDocumentKeepsEverythingTheCourseDefines() throws IOException {
        JsonNode course = course();
        assertThat(drift(course, ours)).as("drift from the course contract").isEmpty();
    }

    @Test
    void theComparisonNoticesDrift() throws IOException {
        JsonNode course = course();
        ObjectNode changed = ours.deepCopy();
        ((ObjectNode) changed.path("paths")
                        .path("/api/search")
                        .path("get")
                        .path("parameters")
                        .get(1))
                .put("required", true);
        ((ObjectNode) changed.path("components").path("schemas").path("AuthResponse")).remove("title");
        ((ObjectNode) changed.path("paths")
                        .path("/api/weather")
                        .path("get")
                        .path("responses")
                        .path("200")
                        .path("content")
                        .path("application/json"))
                .set("schema", JSON.createObjectNode().put("type", "object"));
        ((ObjectNode) changed.path("paths")).remove("/api/logout");
        ((ObjectNode) changed.path("paths")
                        .path("/api/login")
                        .path("post")
                        .path("requestBody")
                        .path("content"))
                .remove("application/x-www-form-urlencoded");

        assertThat(drift(course, changed))
                .hasSize(5)
                .anySatisfy(d -> assertThat(d).contains("/api/search").contains("language"))
                .anySatisfy(d -> assertThat(d).contains("AuthResponse"))
                .anySatisfy(d -> assertThat(d).contains("/api/weather"))
                .anySatisfy(d -> assertThat(d).contains("/api/logout"))
                .anySatisfy(d -> assertThat(d).contains("/api/login").contains("x-www-form-urlencoded"));
    }

    private static JsonNode course() throws IOException {
        String override = System.getProperty(COURSE_PROPERTY);
        Path file = override != null ? Path.of(override) : COURSE_DEFAULT;
        Assumptions.assumeTrue(
                Files.isRegularFile(file),
                "Course contract not found at " + file.toAbsolutePath().normalize() + ": drift check skipped (set -D"
                        + COURSE_PROPERTY + "=FILE)");
        return JSON.readTree(file.toFile());
    }

    static List<String> drift(JsonNode course, JsonNode ours) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : entries(course.path("paths"))) {
            JsonNode ourPath = ours.path("paths").path(path.getKey());
            if (ourPath.isMissingNode()) {
                problems.add("path " + path.getKey() + " is missing");
                continue;
            }
            for (String method : ContractValidator.methods(path.getValue())) {
                String where = method.toUpperCase() + " " + path.getKey();
                JsonNode theirs = path.getValue().path(method);
                JsonNode mine = ourPath.path(method);
                if (mine.isMissingNode()) {
                    problems.add(where + " is missing");
                    continue;
                }
                for (String field : List.of("operationId", "summary")) {
                    if (!theirs.path(field).equals(mine.path(field))) {
                        problems.add(where + ": " + field + " differs");
                    }
                }
                compareParameters(where, theirs.path("parameters"), mine.path("parameters"), problems);
                compareRequestBody(where, theirs.path("requestBody"), mine.path("requestBody"), problems);
                compareResponses(where, theirs.path("responses"), mine.path("responses"), problems);
            }
        }
        for (Map.Entry<String, JsonNode> schema :
                entries(course.path("components").path("schemas"))) {
            JsonNode mine = ours.path("components").path("schemas").path(schema.getKey());
            if (!schema.getValue().equals(mine)) {
                problems.add("schema " + schema.getKey() + (mine.isMissingNode() ? " is missing" : " differs"));
            }
        }
        return problems;
    }

    private static void compareParameters(String where, JsonNode theirs, JsonNode mine, List<String> problems) {
        for (JsonNode param : theirs) {
            JsonNode match = null;
            for (JsonNode candidate : mine) {
                if (candidate.path("name").equals(param.path("name"))
                        && candidate.path("in").equals(param.path("in"))) {
                    match = candidate;
                }
            }
            if (match == null) {
                problems.add(where + ": parameter " + param.path("name").asText() + " is missing");
            } else if (!match.equals(param)) {
                problems.add(where + ": parameter " + param.path("name").asText() + " differs");
            }
        }
        for (JsonNode candidate : mine) {
            boolean known = false;
            for (JsonNode param : theirs) {
                known |= candidate.path("name").equals(param.path("name"));
            }
            if (!known && candidate.path("required").asBoolean(false)) {
                problems.add(where + ": extra required parameter "
                        + candidate.path("name").asText());
            }
        }
    }

    private static void compareRequestBody(String where, JsonNode theirs, JsonNode mine, List<String> problems) {
        if (theirs.isMissingNode()) {
            return;
        }
        if (!theirs.path("required").equals(mine.path("required"))) {
            problems.add(where + ": requestBody.required differs");
        }
        for (Map.Entry<String, JsonNode> media : entries(theirs.path("content"))) {
            JsonNode match = mine.path("content").path(media.getKey());
            if (match.isMissingNode()) {
                problems.add(where + ": request body " + media.getKey() + " is missing");
            } else if (!match.path("schema").equals(media.getValue().path("schema"))) {
                problems.add(where + ": request body " + media.getKey() + " schema differs");
            }
        }
    }

    private static void compareResponses(String where, JsonNode theirs, JsonNode mine, List<String> problems) {
        for (Map.Entry<String, JsonNode> response : entries(theirs)) {
            String status = response.getKey();
            JsonNode match = mine.path(status);
            if (match.isMissingNode()) {
                problems.add(where + ": response " + status + " is missing");
                continue;
            }
            for (Map.Entry<String, JsonNode> media : entries(response.getValue().path("content"))) {
                JsonNode schema = match.path("content").path(media.getKey()).path("schema");
                if (!narrows(schema, media.getValue().path("schema"))) {
                    problems.add(where + ": response " + status + " " + media.getKey() + " schema differs");
                }
            }
        }
    }

    /** Same schema, or allOf that starts with it (every answer we allow, the course allows too). */
    private static boolean narrows(JsonNode mine, JsonNode theirs) {
        if (mine.equals(theirs)) {
            return true;
        }
        JsonNode allOf = mine.path("allOf");
        return allOf instanceof ArrayNode && allOf.size() > 0 && allOf.get(0).equals(theirs);
    }

    private static List<Map.Entry<String, JsonNode>> entries(JsonNode node) {
        List<Map.Entry<String, JsonNode>> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            list.add(it.next());
        }
        return list;
    }
}
