package dev.whoknows.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Runs the tool in-process as a user would (same arguments), with a JUnit report, and reads both back. */
final class Conform {
    /** What a run printed and reported: outcome per check (PASS, FAIL, SKIP) read from the JUnit XML. */
    record Result(
            int exit,
            String out,
            String err,
            Map<String, String> outcomes,
            Map<String, String> failures,
            Document report) {
        List<String> failed() {
            return outcomes.entrySet().stream()
                    .filter(e -> e.getValue().equals("FAIL"))
                    .map(Map.Entry::getKey)
                    .toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n" + out + err;
        }
    }

    private Conform() {}

    static Result run(Path dir, String... args) {
        Path report = dir.resolve("report-" + System.nanoTime() + ".xml");
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--report");
        all.add(report.toString());
        return runRaw(report, all);
    }

    static Result runRaw(Path report, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Conformance.main(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String stdout = out.toString(StandardCharsets.UTF_8);
        System.out.println(stdout); // in the surefire report, for whoever reads a failure
        Map<String, String> outcomes = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        Document document = null;
        if (report != null && Files.exists(report)) {
            try {
                document = DocumentBuilderFactory.newInstance()
                        .newDocumentBuilder()
                        .parse(report.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new AssertionError("the JUnit report is not well-formed XML: " + e.getMessage(), e);
            }
            NodeList cases = document.getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element c = (Element) cases.item(i);
                String outcome = c.getElementsByTagName("failure").getLength() > 0
                        ? "FAIL"
                        : c.getElementsByTagName("skipped").getLength() > 0 ? "SKIP" : "PASS";
                outcomes.put(c.getAttribute("name"), outcome);
                if (outcome.equals("FAIL")) {
                    failures.put(
                            c.getAttribute("name"),
                            c.getElementsByTagName("failure").item(0).getTextContent());
                }
            }
        }
        return new Result(exit, stdout, err.toString(StandardCharsets.UTF_8), outcomes, failures, document);
    }
}
