package dev.whoknows.frontend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit.Stubbing;
import java.util.List;

/**
 * The WireMock stubs of a healthy backend the frontend tests use, with bodies in the shapes of the
 * course contract (whoknows-course-openapi.json) and the behaviour of the stub backend. Every answer they serve
 * is checked against the contract when it is served ({@code ContractCheckedWireMock}).
 */
public final class BackendStubs {

    public static final String SEARCH_RESULTS = """
            {"data":[{"title":"Kubernetes Deployments explained","url":"https://docs.example.org/k8s/deployments",\
            "language":"en","last_updated":"2024-05-17",\
            "content":"A Deployment describes the desired state of Pods and ReplicaSets."},\
            {"title":"Rolling updates without downtime","url":"https://docs.example.org/k8s/rolling",\
            "language":"en","last_updated":"2024-03-02",\
            "content":"Rolling updates replace Pods a few at a time."}],"total":2,"page":1,"limit":50}""";
    public static final String SEARCH_EMPTY = "{\"data\":[],\"total\":0,\"page\":1,\"limit\":50}";
    public static final String SEARCH_MISSING_Q =
            "{\"statusCode\":422,\"message\":\"Query parameter 'q' is required\"}";
    public static final String SEARCH_BAD_LANGUAGE =
            "{\"statusCode\":422,\"message\":\"Unsupported language 'xx': use one of en, da\"}";

    public static final String LOGIN_OK = "{\"statusCode\":200,\"message\":\"You were logged in\"}";
    public static final String LOGIN_INVALID_USERNAME = "{\"statusCode\":401,\"message\":\"Invalid username\"}";
    public static final String LOGIN_INVALID_PASSWORD = "{\"statusCode\":401,\"message\":\"Invalid password\"}";
    public static final String LOGIN_MISSING_PASSWORD = missing("password");
    public static final String REGISTER_OK =
            "{\"statusCode\":200,\"message\":\"You were successfully registered and can login now\"}";
    public static final String REGISTER_TAKEN = "{\"statusCode\":409,\"message\":\"The username is already taken\"}";
    public static final String REGISTER_PASSWORDS_DIFFER =
            "{\"statusCode\":400,\"message\":\"The two passwords do not match\"}";
    public static final String LOGOUT_OK = "{\"statusCode\":200,\"message\":\"You were logged out\"}";
    public static final String WEATHER = """
            {"data":{"location":{"name":"Copenhagen","country":"Denmark","latitude":55.68,"longitude":12.57},\
            "updated":"2026-11-24T09:00:00+01:00",\
            "current":{"temperature_c":6.5,"feels_like_c":3.9,"condition":"Partly cloudy","icon":"partly-cloudy",\
            "humidity_pct":81,"wind_kph":18.0,"wind_direction":"SW"},\
            "forecast":[\
            {"date":"2026-11-24","weekday":"Tuesday","condition":"Light rain","icon":"rain",\
            "high_c":7.0,"low_c":3.0,"precipitation_mm":2.4,"wind_kph":22.0},\
            {"date":"2026-11-25","weekday":"Wednesday","condition":"Cloudy","icon":"cloudy",\
            "high_c":6.0,"low_c":2.0,"precipitation_mm":0.3,"wind_kph":15.0},\
            {"date":"2026-11-26","weekday":"Thursday","condition":"Showers","icon":"showers",\
            "high_c":7.0,"low_c":4.0,"precipitation_mm":4.1,"wind_kph":27.0},\
            {"date":"2026-11-27","weekday":"Friday","condition":"Partly cloudy","icon":"partly-cloudy",\
            "high_c":5.0,"low_c":1.0,"precipitation_mm":0.0,"wind_kph":12.0},\
            {"date":"2026-11-28","weekday":"Saturday","condition":"Fog","icon":"fog",\
            "high_c":4.0,"low_c":1.0,"precipitation_mm":0.1,"wind_kph":6.0},\
            {"date":"2026-11-29","weekday":"Sunday","condition":"Sunny","icon":"sunny",\
            "high_c":5.0,"low_c":0.0,"precipitation_mm":0.0,"wind_kph":9.0},\
            {"date":"2026-11-30","weekday":"Monday","condition":"Windy","icon":"wind",\
            "high_c":6.0,"low_c":3.0,"precipitation_mm":1.2,"wind_kph":38.0}]}}""";
    public static final String HEALTH = "{\"status\":\"ok\",\"service\":\"backend-stub\",\"version\":\"test\"}";

    public static final String SESSION_ID = "3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    public static final String SESSION_COOKIE = "session=" + SESSION_ID + "; Path=/; HttpOnly; SameSite=Lax";
    public static final String SESSION_NONE = "{\"data\":{\"username\":null}}";
    public static final String SESSION_DEMO = "{\"data\":{\"username\":\"demo\"}}";
    public static final String SESSION_EXPIRED =
            "session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax";

    private BackendStubs() {}

    /**
     * The routes of a healthy stub backend with the demo user, answering as backend-stub/src/main does for the
     * requests the tests send. Each answer is checked against the contract when served (ContractCheckedWireMock).
     */
    public static void install(Stubbing backend) {
        backend.stubFor(get(urlEqualTo("/api/health")).willReturn(json(200, HEALTH)));
        // the stub's router ignores a trailing slash: /api/search/ is the search too
        backend.stubFor(get(urlPathMatching(SEARCH)).willReturn(json(422, SEARCH_MISSING_Q)));
        backend.stubFor(
                get(urlPathMatching(SEARCH)).withQueryParam("q", containing("")).willReturn(json(200, SEARCH_RESULTS)));
        backend.stubFor(get(urlEqualTo("/api/search?q=nothing")).willReturn(json(200, SEARCH_EMPTY)));
        backend.stubFor(get(urlPathMatching(SEARCH))
                .withQueryParam("language", containing("xx"))
                .willReturn(json(422, SEARCH_BAD_LANGUAGE)));
        backend.stubFor(get(urlEqualTo("/api/weather")).willReturn(json(200, WEATHER)));

        backend.stubFor(post(urlEqualTo("/api/login")).willReturn(json(422, LOGIN_MISSING_PASSWORD)));
        backend.stubFor(post(urlEqualTo("/api/login"))
                .withRequestBody(containing("username="))
                .withRequestBody(containing("password="))
                .willReturn(json(401, LOGIN_INVALID_USERNAME)));
        backend.stubFor(post(urlEqualTo("/api/login"))
                .withRequestBody(containing("username=demo"))
                .withRequestBody(containing("password="))
                .willReturn(json(401, LOGIN_INVALID_PASSWORD)));
        backend.stubFor(post(urlEqualTo("/api/login"))
                .withRequestBody(containing("username=demo"))
                .withRequestBody(containing("password=demo1234"))
                .willReturn(json(200, LOGIN_OK).withHeader("Set-Cookie", SESSION_COOKIE)));

        // a registration with a field missing is a 422 naming it, as the stub's; a complete one is 409 or 200
        backend.stubFor(post(urlEqualTo("/api/register")).willReturn(json(422, missing("username"))));
        for (String field : List.of("email", "password")) {
            backend.stubFor(post(urlEqualTo("/api/register"))
                    .withRequestBody(containing("username="))
                    .withRequestBody(notContaining(field + "="))
                    .willReturn(json(422, missing(field))));
        }
        backend.stubFor(complete(post(urlEqualTo("/api/register"))).willReturn(json(200, REGISTER_OK)));
        backend.stubFor(complete(post(urlEqualTo("/api/register")))
                .withRequestBody(containing("username=demo&"))
                .willReturn(json(409, REGISTER_TAKEN)));
        // the stub checks the repeated password before the name
        backend.stubFor(complete(post(urlEqualTo("/api/register")))
                .withRequestBody(matching(".*password=([^&]*)&password2=(?!\\1(?:&|$)).*"))
                .willReturn(json(400, REGISTER_PASSWORDS_DIFFER)));

        backend.stubFor(get(urlEqualTo("/api/logout"))
                .willReturn(json(200, LOGOUT_OK).withHeader("Set-Cookie", SESSION_EXPIRED)));

        backend.stubFor(get(urlEqualTo("/api/session"))
                .willReturn(json(200, SESSION_NONE).withHeader("Cache-Control", "no-store")));
        backend.stubFor(get(urlEqualTo("/api/session"))
                .withCookie("session", equalTo(SESSION_ID))
                .willReturn(json(200, SESSION_DEMO).withHeader("Cache-Control", "no-store")));

        // a route of the API asked with another method: the stub's 405; any other route: its 404
        backend.stubFor(any(urlPathMatching("/api/(search|weather|health|session|logout|login|register)/?"))
                .atPriority(9)
                .willReturn(json(
                                405,
                                "{\"statusCode\":405,\"message\":\"Method {{request.method}} is not allowed on"
                                        + " {{request.path}}\"}")
                        .withTransformers("response-template")));
        backend.stubFor(any(urlPathMatching("/api/.*"))
                .atPriority(10)
                .willReturn(
                        json(404, "{\"statusCode\":404,\"message\":\"Not found: {{request.method}} {{request.path}}\"}")
                                .withTransformers("response-template")));
    }

    private static final String SEARCH = "/api/search/?";

    private static MappingBuilder complete(MappingBuilder register) {
        return register.withRequestBody(containing("username="))
                .withRequestBody(containing("email="))
                .withRequestBody(containing("password="));
    }

    /** The stub's 422 for one missing form field (FieldErrors). */
    public static String missing(String field) {
        return "{\"detail\":[{\"loc\":[\"body\",\"" + field + "\"],\"msg\":\"Field required\",\"type\":\"missing\"}]}";
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }
}
