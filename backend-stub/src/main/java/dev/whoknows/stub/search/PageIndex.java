package dev.whoknows.stub.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.whoknows.stub.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The searchable pages, grouped by language; matching and ranking live here. */
public final class PageIndex {
    public static final List<String> LANGUAGES = List.of("en", "da");
    public static final int MAX_RESULTS = 50;
    private static final String VARIABLE = "STUB_PAGES_FILE";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<Indexed>> byLanguage = new LinkedHashMap<>();

    private record Indexed(Page page, String title, String content) {}

    private record Hit(Page page, int titleHits, int occurrences) {}

    private PageIndex(List<Page> pages) {
        LANGUAGES.forEach(lang -> byLanguage.put(lang, new ArrayList<>()));
        for (Page page : pages) {
            byLanguage.get(page.language()).add(new Indexed(page, fold(page.title()), fold(page.content())));
        }
    }

    /** The fixture bundled with the stub (src/main/resources/pages.json). */
    public static PageIndex bundled() {
        try (InputStream in = PageIndex.class.getResourceAsStream("/pages.json")) {
            if (in == null) {
                throw new IllegalStateException("pages.json is missing from the classpath");
            }
            return new PageIndex(parse(JSON.readTree(in), "bundled pages.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pages from a team's own file (STUB_PAGES_FILE); every problem names the file and the page. */
    public static PageIndex fromFile(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new ConfigException(
                    VARIABLE,
                    "not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ": " + problem(e),
                    file.toString());
        } catch (IOException e) {
            throw new ConfigException(VARIABLE, "cannot read the file: " + e.getMessage(), file.toString());
        }
        try {
            return new PageIndex(parse(root, file.toString()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(VARIABLE, e.getMessage(), file.toString());
        }
    }

    /**
     * Jackson's message without its internals: no "(code 125)", no "[Source: ...]" or "start marker"
     * reference, no hint about parser features; the first letter lower case to follow "line L, column C: ".
     */
    static String problem(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage())
                .split("\\R", 2)[0]
                .replaceAll("\\s*\\(start marker at \\[Source:.*?\\]\\)", "")
                .replaceAll("\\s*\\[Source:.*?\\]", "")
                .replaceAll(" \\(code \\d+\\)", "")
                .replaceAll("\\s*\\(?(?:for|through) (?:Object|Array) starting at.*$", "")
                .replaceAll(";? ?\\(?(?:set|enable|use) [A-Za-z.]*(?:Feature|Read|Write)[^)]*\\)?.*$", "")
                .replaceAll("\\('([^']*)'\\)", "'$1'")
                .replace("Unexpected end-of-input", "the file ends too early")
                .replace("close marker for Object", "a closing } for an object")
                .replace("close marker for Array", "a closing ] for an array")
                .strip();
        if (message.isEmpty()) {
            return "unreadable JSON";
        }
        return Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    static List<Page> parse(JsonNode root, String source) {
        JsonNode array = root != null && root.isObject() ? root.get("data") : root;
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException(
                    "expected a JSON array of pages (or an object with a \"data\" array) in " + source);
        }
        List<Page> pages = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            pages.add(page(array.get(i), i + 1));
        }
        return pages;
    }

    private static Page page(JsonNode node, int number) {
        String where = "page #" + number;
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " is not a JSON object");
        }
        String title = text(node, "title", where);
        String url = text(node, "url", where);
        String language = text(node, "language", where);
        String lastUpdated = text(node, "last_updated", where);
        String content = text(node, "content", where);
        if (!LANGUAGES.contains(language)) {
            throw new IllegalArgumentException(where + ": language '" + language + "' is not one of en, da");
        }
        try {
            URI uri = URI.create(url);
            if (!uri.isAbsolute() || !List.of("http", "https").contains(uri.getScheme())) {
                throw new IllegalArgumentException(where + ": url '" + url + "' is not an absolute http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": url '" + url + "' is not an absolute http(s) URL");
        }
        try {
            LocalDate.parse(lastUpdated);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    where + ": last_updated '" + lastUpdated + "' is not a date like 2024-05-17");
        }
        return new Page(title, url, language, lastUpdated, content);
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be a non-empty string");
        }
        return value.asText();
    }

    public int size(String language) {
        return byLanguage.get(language).size();
    }

    /**
     * Pages in {@code language} where every term of {@code query} occurs in the title or the content
     * (case-insensitive). Pages with more terms in the title come first, then pages with more
     * occurrences; ties keep the fixture's order. The first {@link #MAX_RESULTS}.
     */
    public List<Page> search(String query, String language) {
        return search(query, language, 0, MAX_RESULTS).pages();
    }

    /** One page of the matches: {@code pages} from {@code offset}, at most {@code limit}; {@code total} of all. */
    public record Results(List<Page> pages, int total) {}

    /** As {@link #search(String, String)}, every match counted, {@code limit} of them from {@code offset}. */
    public Results search(String query, String language, int offset, int limit) {
        List<String> terms = Arrays.stream(fold(query).split("\\s+"))
                .filter(t -> !t.isEmpty())
                .distinct()
                .toList();
        if (terms.isEmpty()) {
            return new Results(List.of(), 0);
        }
        List<Hit> hits = new ArrayList<>();
        for (Indexed entry : byLanguage.get(language)) {
            int titleHits = 0;
            int occurrences = 0;
            boolean all = true;
            for (String term : terms) {
                int inTitle = count(entry.title(), term);
                int inContent = count(entry.content(), term);
                if (inTitle + inContent == 0) {
                    all = false;
                    break;
                }
                titleHits += inTitle > 0 ? 1 : 0;
                occurrences += inTitle + inContent;
            }
            if (all) {
                hits.add(new Hit(entry.page(), titleHits, occurrences));
            }
        }
        hits.sort(Comparator.comparingInt(Hit::titleHits)
                .thenComparingInt(Hit::occurrences)
                .reversed());
        return new Results(
                hits.stream().skip(offset).limit(limit).map(Hit::page).toList(), hits.size());
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length())) {
            n++;
        }
        return n;
    }

    private static String fold(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }
}
