package dev.whoknows.stub.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.testsupport.contract.ContractValidator;
import org.junit.jupiter.api.Test;

/** The validator itself must reject what the document forbids, or every contract test is hollow. */
class ContractValidatorTest {
    private final ContractValidator validator = new ContractValidator();

    @Test
    void acceptsAConformingSearchAnswer() {
        String body = "{\"data\":[{\"title\":\"Docker\",\"url\":\"https://x.dev/a\",\"language\":\"en\","
                + "\"last_updated\":\"2024-05-17\",\"content\":\"c\"}]}";
        assertThat(validator.validateResponse("/api/search?q=docker", "GET", 200, body))
                .isEmpty();
    }

    @Test
    void rejectsTheOldSearchResultsKey() {
        assertThat(validator.validateResponse("/api/search", "GET", 200, "{\"search_results\":[]}"))
                .anySatisfy(e -> assertThat(e).contains("data"));
    }

    @Test
    void rejectsASearchItemWithAWrongField() {
        String body = "{\"data\":[{\"title\":\"Docker\",\"url\":\"https://x.dev/a\",\"language\":\"de\","
                + "\"last_updated\":\"17/05/2024\",\"content\":\"c\"}]}";
        assertThat(validator.validateResponse("/api/search", "GET", 200, body)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void rejectsAWeatherAnswerMissingTheForecast() {
        String body = "{\"data\":{\"location\":{\"name\":\"Copenhagen\",\"country\":\"Denmark\",\"latitude\":55.68,"
                + "\"longitude\":12.57},\"updated\":\"2026-11-24T09:00:00+01:00\"}}";
        assertThat(validator.validateResponse("/api/weather", "GET", 200, body))
                .anySatisfy(e -> assertThat(e).contains("current"));
    }

    @Test
    void rejectsValidationErrorsWithoutMsg() {
        assertThat(validator.validateResponse("/api/login", "POST", 422, "{\"detail\":[{\"loc\":[\"body\"]}]}"))
                .isNotEmpty();
    }

    @Test
    void reportsUndocumentedOperationsStatusesAndNonJson() {
        assertThat(validator.validateResponse("/api/nope", "GET", 200, "{}"))
                .singleElement()
                .asString()
                .contains("no operation");
        assertThat(validator.validateResponse("/api/logout", "POST", 200, "{}")).isNotEmpty();
        assertThat(validator.validateResponse("/api/search", "GET", 200, "not json"))
                .singleElement()
                .asString()
                .contains("not JSON");
        assertThat(validator.validateResponse("/", "GET", 200, "{}"))
                .singleElement()
                .asString()
                .contains("not application/json");
    }

    @Test
    void errorsFallBackToTheDefaultErrorResponse() {
        assertThat(validator.validateResponse(
                        "/api/search",
                        "GET",
                        405,
                        "{\"statusCode\":405,\"message\":\"Method POST is not allowed on /api/search\"}"))
                .isEmpty();
        assertThat(validator.validateResponse("/api/search", "GET", 405, "{\"error\":\"x\"}"))
                .isNotEmpty();
        assertThat(validator.validateSchema("ErrorResponse", "{\"statusCode\":404,\"message\":\"Not found\"}"))
                .isEmpty();
        assertThat(validator.validateSchema("ErrorResponse", "{\"statusCode\":200}"))
                .isNotEmpty();
    }
}
