package dev.whoknows.testsupport.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The validator against a small fixture document (the stub's real one is tested in backend-stub, which
 * owns it): documented answers, undocumented routes, the target forms a raw client sends.
 */
class ContractValidatorTest {
    private final ContractValidator validator = new ContractValidator("contract-fixture.json");

    @Test
    void aDocumentedAnswerIsCheckedAgainstItsSchema() {
        assertThat(validator.validateAnswer("GET", "/api/thing?x=1", 200, "{\"name\":\"a\"}"))
                .isEmpty();
        assertThat(validator.validateAnswer("get", "/api/thing", 200, "{\"nom\":\"a\"}"))
                .singleElement()
                .asString()
                .startsWith("GET /api/thing 200: ")
                .contains("name");
        assertThat(validator.validateAnswer("GET", "/api/thing", 404, "{\"statusCode\":404,\"message\":\"no\"}"))
                .as("a 4XX range key")
                .isEmpty();
        assertThat(validator.validateAnswer("GET", "/api/thing", 500, "{}"))
                .singleElement()
                .asString()
                .contains("status 500 is not documented");
    }

    @Test
    void anUndocumentedRouteOrMethodMustAnswerAnErrorResponse() {
        assertThat(validator.validateAnswer("POST", "/api/thing", 405, "{\"statusCode\":405,\"message\":\"GET only\"}"))
                .isEmpty();
        assertThat(validator.validateAnswer("GET", "/api/%00", 400, "{\"error\":\"bad\"}"))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e).startsWith("GET /api/%00 400: "));
        assertThat(validator.validateAnswer("GET", "/nope", 404, "<html>"))
                .singleElement()
                .asString()
                .contains("not JSON");
    }

    @Test
    void anAbsoluteFormTargetIsCheckedAsItsPath() {
        assertThat(ContractValidator.path("http://elsewhere:1/api/thing?q=1")).isEqualTo("/api/thing");
        assertThat(ContractValidator.path("https://h")).isEqualTo("/");
        assertThat(ContractValidator.path("/a://b")).isEqualTo("/a://b");
        assertThat(validator.validateAnswer("GET", "http://x/api/thing", 200, "{\"name\":\"a\"}"))
                .isEmpty();
    }

    @Test
    void whatTheDocumentLacksIsNamed() {
        assertThat(validator.validateResponse("/nope", "GET", 200, "{}"))
                .singleElement()
                .asString()
                .contains("no operation GET /nope");
        assertThat(validator.validateResponse("/page", "GET", 200, "{}"))
                .singleElement()
                .asString()
                .contains("not application/json");
        assertThat(validator.validateSchema("Missing", "{}"))
                .singleElement()
                .asString()
                .contains("no schema");
        assertThat(ContractValidator.methods(validator.document().path("paths").path("/api/thing")))
                .containsExactly("get");
    }

    @Test
    void aMissingDocumentSaysWhereItShouldComeFrom() {
        assertThatThrownBy(() -> new ContractValidator("nowhere.json"))
                .hasMessageContaining("nowhere.json is not on the classpath")
                .hasMessageContaining("backend-stub");
        assertThatThrownBy(ContractValidator::new).hasMessageContaining("openapi.json");
    }
}
