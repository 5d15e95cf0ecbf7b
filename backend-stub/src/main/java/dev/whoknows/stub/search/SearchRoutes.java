package dev.whoknows.stub.search;

import dev.whoknows.stub.ApiError;
import dev.whoknows.stub.metrics.StubMetrics;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;

/** GET /api/search?q=&language= */
public final class SearchRoutes {
    private final PageIndex index;

    public record SearchResponse(List<Page> data) {
    }

    public SearchRoutes(PageIndex index) {
        this.index = index;
    }

    public void search(Context ctx) {
        String query = ctx.queryParam("q");
        if (query == null) {
            throw new ApiError(422, "Query parameter 'q' is required");
        }
        String raw = ctx.queryParam("language");
        String language = raw == null || raw.isBlank() ? "en" : raw.strip().toLowerCase(Locale.ROOT);
        if (!PageIndex.LANGUAGES.contains(language)) {
            throw new ApiError(422, "Unsupported language " + ApiError.quote(raw) + ": use one of en, da");
        }
        List<Page> hits = index.search(query, language);
        StubMetrics.searched(ctx, language, !hits.isEmpty());
        ctx.json(new SearchResponse(hits));
    }
}
