package dev.whoknows.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The frontend's own JSON, checked against Jackson (the tests' reader) both ways. */
class JsonTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void writtenObjectsReadBackExactlyWithAnotherParser() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("statusCode", 502);
        fields.put("message", "quote \" backslash \\ newline \n tab \t nul \u0000 line-sep \u2028 æøå ✓");
        fields.put("ok", true);
        fields.put("nothing", null);
        String json = Json.object(fields);
        assertThat(JACKSON.readValue(json, Map.class)).isEqualTo(fields);
        assertThat(json).doesNotContain("\n").doesNotContain("\u2028");
    }

    @Test
    void writesTheSameBytesAsTheHandWrittenWriterDid() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("statusCode", 404);
        fields.put("message", "q\" b\\ n\n r\r t\t nul\u0000 bs\b ff\f us\u001f ls\u2028 ps\u2029 /æ✓");
        fields.put("ok", false);
        fields.put("nothing", null);
        assertThat(Json.object(fields))
                .isEqualTo("{\"statusCode\":404,\"message\":\"q\\\" b\\\\ n\\n r\\r t\\t nul\\u0000 bs\\u0008"
                        + " ff\\u000c us\\u001f ls\\u2028 ps\\u2029 /æ✓\",\"ok\":false,\"nothing\":null}");
        assertThat(Json.object(Map.of())).isEqualTo("{}");
    }

    @Test
    void readsWhatTheBackendSends() {
        String body = "{\"detail\":[{\"loc\":[\"body\",\"email\",0],\"msg\":\"value is not a valid email\","
                + "\"type\":\"value_error\"}],\"n\":-1.5e3,\"u\":\"\\u00e6\\n\\/\",\"e\":{},\"a\":[],\"t\":true,\"z\":null}";
        Object parsed = Json.parse(" \n" + body + "\t ");
        assertThat(parsed).isInstanceOf(Map.class);
        Map<?, ?> map = (Map<?, ?>) parsed;
        assertThat(map.get("detail"))
                .isEqualTo(List.of(Map.of(
                        "loc",
                        List.of("body", "email", 0),
                        "msg",
                        "value is not a valid email",
                        "type",
                        "value_error")));
        assertThat(map.get("n")).isEqualTo(-1500.0);
        assertThat(map.get("u")).isEqualTo("æ\n/");
        assertThat(map.get("e")).isEqualTo(Map.of());
        assertThat(map.get("a")).isEqualTo(List.of());
        assertThat(map.get("t")).isEqualTo(true);
        assertThat(map.containsKey("z")).isTrue();
        assertThat(map.get("z")).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "{",
                "{\"a\":}",
                "{\"a\" 1}",
                "{a:1}",
                "[1,]",
                "[1 2]",
                "\"open",
                "\"bad \\x escape\"",
                "\"\\u12\"",
                "01",
                "1.",
                "-",
                "1e",
                "tru",
                "nul",
                "{} {}",
                "\"raw \u0001 control\"",
                "NaN"
            })
    void malformedInputIsRefusedWithTheOffset(String text) {
        assertThatThrownBy(() -> Json.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid JSON at offset ");
    }

    @Test
    void deepNestingIsRefusedInsteadOfOverflowingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> Json.parse(deep))
                .hasMessageStartingWith("invalid JSON at offset 65: ")
                .hasMessageContaining("nesting depth (65) exceeds the maximum allowed (64");
        assertThat(Json.parse("[".repeat(60) + "]".repeat(60))).isInstanceOf(List.class);
    }
}
