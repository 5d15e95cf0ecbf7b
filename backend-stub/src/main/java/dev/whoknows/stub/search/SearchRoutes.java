package dev.whoknows.stub.search;

import dev.whoknows.stub.ApiError;
import dev.whoknows.stub.http.UrlEncoded;
import dev.whoknows.stub.metrics.StubMetrics;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GET /api/search?q=&language= and, as a documented extension of the course contract, the optional
 * {@code page} (1..) and {@code limit} (1..50) parameters; the answer adds {@code total}, {@code page}
 * and {@code limit} next to the course's {@code data}. The query string is decoded strictly: a bad
 * %-escape or invalid UTF-8 is a 400 naming the escape, not a missing or silently changed q.
 */
public final class SearchRoutes {
    public static final int MAX_PAGE = 10_000;
    private final PageIndex index;

    /** {@code data} is the course's field; the others are the paging extension. */
    public record SearchResponse(List<Page> data, int total, int page, int limit) {}

    public SearchRoutes(PageIndex index) {
        this.index = index;
    }

    public void search(Context ctx) {
        Map<String, String> params;
        try {
            params = UrlEncoded.parseQuery(ctx.queryString());
        } catch (UrlEncoded.Malformed e) {
            throw new ApiError(400, "The query string is not valid: " + e.getMessage());
        }
        String query = params.get("q");
        if (query == null) {
            throw new ApiError(422, "Query parameter 'q' is required");
        }
        String raw = params.get("language");
        String language = raw == null || raw.isBlank() ? "en" : raw.strip().toLowerCase(Locale.ROOT);
        if (!PageIndex.LANGUAGES.contains(language)) {
            throw new ApiError(422, "Unsupported language " + ApiError.quote(raw) + ": use one of en, da");
        }
        int page = number(params, "page", 1, MAX_PAGE, 1);
        int limit = number(params, "limit", 1, PageIndex.MAX_RESULTS, PageIndex.MAX_RESULTS);
        PageIndex.Results results = index.search(query, language, (page - 1) * limit, limit);
        StubMetrics.searched(ctx, language, results.total() > 0);
        ctx.json(new SearchResponse(results.pages(), results.total(), page, limit));
    }

    private static int number(Map<String, String> params, String name, int min, int max, int fallback) {
        String raw = params.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiError(
                422,
                "Query parameter '" + name + "' must be a whole number from " + min + " to " + max + " (got "
                        + ApiError.quote(raw) + ")");
    }
}
