package dev.whoknows.frontend.proxy;

import java.util.Set;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.RequestBody;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;

/** Proxy → backend: the backend request built from the client's (URL, method, end-to-end headers, body). */
final class ProxyToBackend {

    /** Fields the frontend sets itself or must not pass on. */
    private static final Set<String> NOT_FORWARDED = Set.of(
            "host",
            "content-length",
            "expect",
            "forwarded",
            "x-forwarded-for",
            "x-forwarded-proto",
            "x-forwarded-host",
            "x-request-id");

    private static final Set<String> BODY_REQUIRED = Set.of("POST", "PUT", "PATCH", "PROPPATCH", "REPORT", "QUERY");

    private final Target target;
    private final ClientToProxy client;

    ProxyToBackend(Target target, ClientToProxy client) {
        this.target = target;
        this.client = client;
    }

    /**
     * The backend request: same method, path, raw query, body and end-to-end headers. HEAD is sent as GET
     * (the body is dropped): a HEAD answer must carry GET's headers, and not every backend answers HEAD so
     * (the stub's framework sends text/plain and no length).
     */
    okhttp3.Request build(Exchange exchange) throws Target.Rejected, ClientToProxy.BodyTooLarge {
        Request request = exchange.request();
        HttpUrl url = target.of(request);
        String method = request.getMethod();
        long length = request.getLength();
        client.checkLength(length);
        HttpFields fields = request.getHeaders();
        boolean hasBody = length > 0 || fields.contains(HttpHeader.TRANSFER_ENCODING);
        RequestBody body = null;
        if (hasBody && !method.equals("GET") && !method.equals("HEAD")) {
            body = client.body(exchange, length);
        } else if (BODY_REQUIRED.contains(method)) {
            body = RequestBody.create(new byte[0], null);
        }
        return new okhttp3.Request.Builder()
                .url(url)
                .headers(requestHeaders(exchange))
                .method(HttpMethod.HEAD.is(method) ? "GET" : method, body)
                .build();
    }

    private static Headers requestHeaders(Exchange exchange) {
        Request request = exchange.request();
        HttpFields fields = request.getHeaders();
        HopByHop hopByHop = new HopByHop(fields.getValuesList(HttpHeader.CONNECTION));
        Headers.Builder headers = new Headers.Builder();
        StringBuilder forwardedFor = null;
        for (HttpField field : fields) {
            String lower = field.getLowerCaseName();
            if (lower.equals("x-forwarded-for")) {
                forwardedFor = (forwardedFor == null ? new StringBuilder() : forwardedFor.append(", "))
                        .append(field.getValue());
            }
            if (hopByHop.contains(lower) || NOT_FORWARDED.contains(lower)) {
                continue;
            }
            headers.addUnsafeNonAscii(field.getName(), field.getValue());
        }
        String client = Request.getRemoteAddr(request);
        headers.add(
                "X-Forwarded-For",
                forwardedFor == null
                        ? client
                        : forwardedFor.append(", ").append(client).toString());
        headers.add("X-Forwarded-Proto", request.getHttpURI().getScheme());
        String host = fields.get(HttpHeader.HOST);
        if (host != null) {
            headers.add("X-Forwarded-Host", host);
        }
        headers.add("X-Request-Id", exchange.id());
        if (!fields.contains(HttpHeader.ACCEPT_ENCODING)) {
            // Without it OkHttp would ask for gzip itself and inflate the answer: the backend compresses, the
            // frontend decompresses, and the client gets a chunked body without Content-Length. That was 39 %
            // of the proxy's CPU on a 20 KB search (bench/NOTES.md). The client's own value passes untouched.
            headers.add("Accept-Encoding", "identity");
        }
        return headers.build();
    }
}
