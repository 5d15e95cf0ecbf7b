package dev.whoknows.stub.accounts;

import java.util.List;

/**
 * Fields missing or of the wrong type: answered 422 with the course's HTTPValidationError body
 * {@code {"detail":[{"loc":["body","password"],"msg":"Field required","type":"missing"}]}}.
 */
public final class FieldErrors extends RuntimeException {
    public record Detail(List<Object> loc, String msg, String type) {
        static Detail missing(String field) {
            return new Detail(List.of("body", field), "Field required", "missing");
        }

        static Detail notAString(String field) {
            return new Detail(List.of("body", field), "Input should be a valid string", "string_type");
        }
    }

    public record Body(List<Detail> detail) {}

    private final List<Detail> details;

    FieldErrors(List<Detail> details) {
        super(details.get(0).loc().get(1) + ": " + details.get(0).msg(), null, false, false);
        this.details = List.copyOf(details);
    }

    public Body body() {
        return new Body(details);
    }
}
