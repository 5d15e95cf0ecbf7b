package dev.whoknows.stub.search;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One searchable page, serialised exactly as the search API returns it. */
public record Page(
        String title,
        String url,
        String language,
        @JsonProperty("last_updated") String lastUpdated,
        String content) {}
