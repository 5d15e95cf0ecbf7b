package dev.whoknows.conformance.report;

import dev.whoknows.conformance.checks.CheckResult;
import dev.whoknows.conformance.checks.CheckResult.Outcome;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The results as JUnit XML (one testsuite, one testcase per check), the format CI systems show as test
 * results. Written with the JDK's StAX writer; characters XML 1.0 cannot carry become U+FFFD.
 */
public final class JUnitReport {
    private JUnitReport() {}

    public static void write(
            Path file, String baseUrl, boolean frontend, List<CheckResult> results, Instant started, Duration total)
            throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuites");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", "whoknows-conformance");
            xml.writeAttribute("tests", String.valueOf(results.size()));
            xml.writeAttribute("failures", count(results, Outcome.FAIL));
            xml.writeAttribute("errors", "0");
            xml.writeAttribute("skipped", count(results, Outcome.SKIP));
            xml.writeAttribute("time", seconds(total));
            xml.writeAttribute(
                    "timestamp", started.truncatedTo(ChronoUnit.SECONDS).toString());
            xml.writeCharacters("\n");
            xml.writeStartElement("properties");
            property(xml, "base-url", baseUrl);
            property(xml, "mode", frontend ? "frontend" : "backend");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            String classname = "whoknows-conformance." + (frontend ? "frontend" : "backend");
            for (CheckResult r : results) {
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", classname);
                xml.writeAttribute("name", clean(r.name()));
                xml.writeAttribute("time", seconds(r.time()));
                if (r.outcome() == Outcome.FAIL) {
                    xml.writeStartElement("failure");
                    xml.writeAttribute("type", "finding");
                    xml.writeAttribute(
                            "message",
                            clean(r.findings().size() + " finding(s): "
                                    + r.findings().get(0).headline()));
                    xml.writeCharacters(clean(
                            r.findings().stream().map(f -> f.details(baseUrl)).collect(Collectors.joining("\n\n"))));
                    xml.writeEndElement();
                } else if (r.outcome() == Outcome.SKIP) {
                    xml.writeEmptyElement("skipped");
                    xml.writeAttribute("message", clean(r.skipReason()));
                }
                String text = r.description() + (r.notes().isEmpty() ? "" : "\n" + String.join("\n", r.notes()));
                xml.writeStartElement("system-out");
                xml.writeCharacters(clean(text));
                xml.writeEndElement();
                xml.writeEndElement();
                xml.writeCharacters("\n");
            }
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeEmptyElement("property");
        xml.writeAttribute("name", name);
        xml.writeAttribute("value", clean(value));
    }

    private static String count(List<CheckResult> results, Outcome outcome) {
        return String.valueOf(
                results.stream().filter(r -> r.outcome() == outcome).count());
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
    }

    /** Only characters XML 1.0 allows. */
    static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            boolean ok = c == 0x9
                    || c == 0xA
                    || c == 0xD
                    || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD)
                    || (c >= 0x10000 && c <= 0x10FFFF);
            out.appendCodePoint(ok ? c : 0xFFFD);
        });
        return out.toString();
    }
}
