package dev.whoknows.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.whoknows.conformance.http.Payload;
import dev.whoknows.conformance.http.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The curl commands in failure reports: a shell turns each word back into exactly the bytes sent. */
class ReproducerTest {
    @Test
    void shellWordsExpandToTheTextSent() throws Exception {
        Payload payload = Payload.of("username=it's \"odd\" $HOME `x` \\ %zz&password=")
                .repeat('x', 70_000)
                .append("&end=1");

        assertThat(payload.shell().length()).isLessThan(200);
        assertThat(expand(payload.shell())).isEqualTo(payload.text());
        assertThat(expand(Payload.empty().shell())).isEmpty();
    }

    @Test
    void theCurlCommandCarriesMethodTargetHeadersAndBody() {
        Request request = Request.post("/api/login")
                .json()
                .form(Payload.of("username=a&password=b"))
                .build();

        assertThat(request.curl("http://localhost:5050"))
                .isEqualTo(
                        "curl -i -sS --path-as-is -X POST"
                                + " 'http://localhost:5050/api/login' -H 'Accept: application/json'"
                                + " -H 'Content-Type: application/x-www-form-urlencoded' --data-binary 'username=a&password=b'");
        assertThat(Request.get("//login").build().curl("http://h"))
                .isEqualTo("curl -i -sS --path-as-is 'http://h//login'");
    }

    private static String expand(String word) throws IOException, InterruptedException {
        Path out = Files.createTempFile("expand", ".txt");
        try {
            Process p = new ProcessBuilder("sh", "-c", "printf '%s' " + word + " > '" + out + "'").start();
            assertThat(p.waitFor())
                    .as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isZero();
            return Files.readString(out);
        } finally {
            Files.delete(out);
        }
    }
}
