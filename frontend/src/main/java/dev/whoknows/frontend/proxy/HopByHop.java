package dev.whoknows.frontend.proxy;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The header policy both header legs share: fields that belong to one connection and are never passed on. */
final class HopByHop {

    /** RFC 9110 7.6.1 hop-by-hop fields. */
    private static final Set<String> FIELDS = Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "te",
            "transfer-encoding",
            "upgrade",
            "proxy-authenticate",
            "proxy-authorization",
            "trailer",
            "http2-settings");

    private final Set<String> listed;

    /** @param connectionValues the message's Connection header values: the fields they name are hop-by-hop too */
    HopByHop(List<String> connectionValues) {
        this.listed = connectionTokens(connectionValues);
    }

    /** @param lowerCaseName a field name in lower case */
    boolean contains(String lowerCaseName) {
        return FIELDS.contains(lowerCaseName) || listed.contains(lowerCaseName);
    }

    private static Set<String> connectionTokens(List<String> values) {
        if (values.isEmpty()) {
            return Set.of();
        }
        Set<String> tokens = new HashSet<>();
        for (String value : values) {
            for (String token : value.split(",", -1)) {
                if (!token.isBlank()) {
                    tokens.add(token.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return tokens;
    }
}
