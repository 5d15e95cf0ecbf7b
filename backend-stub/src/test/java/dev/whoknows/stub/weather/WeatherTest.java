package dev.whoknows.stub.weather;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.whoknows.stub.StubConfig;
import dev.whoknows.stub.TestStub;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WeatherTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ICONS =
            Set.of("sunny", "partly-cloudy", "cloudy", "rain", "showers", "snow", "fog", "thunder", "wind");

    private static JsonNode weatherAt(String instant) throws Exception {
        try (TestStub stub = new TestStub(StubConfig.defaults(), Clock.fixed(Instant.parse(instant), Forecast.ZONE))) {
            TestStub.Answer answer = stub.get("/api/weather");
            assertThat(answer.status()).isEqualTo(200);
            return JSON.readTree(answer.body()).path("data");
        }
    }

    @Test
    void copenhagenInNovemberHasTheDocumentedShapeAndPlausibleValues() throws Exception {
        JsonNode data = weatherAt("2026-11-24T10:15:00Z");
        assertThat(data.path("location").toString())
                .isEqualTo("{\"name\":\"Copenhagen\",\"country\":\"Denmark\",\"latitude\":55.68,\"longitude\":12.57}");
        assertThat(data.path("updated").asText()).isEqualTo("2026-11-24T09:00:00+01:00");
        JsonNode current = data.path("current");
        assertThat(current.path("temperature_c").asDouble()).isBetween(-8.0, 15.0);
        assertThat(current.path("feels_like_c").asDouble())
                .isLessThanOrEqualTo(current.path("temperature_c").asDouble());
        assertThat(current.path("humidity_pct").asInt()).isBetween(60, 100);
        assertThat(ICONS).contains(current.path("icon").asText());
        JsonNode days = data.path("forecast");
        assertThat(days).hasSize(7);
        LocalDate date = LocalDate.parse("2026-11-24");
        for (JsonNode day : days) {
            assertThat(day.path("date").asText()).isEqualTo(date.toString());
            assertThat(day.path("weekday").asText())
                    .isEqualTo(date.getDayOfWeek()
                            .getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH));
            assertThat(day.path("high_c").asDouble())
                    .isGreaterThan(day.path("low_c").asDouble())
                    .isBetween(-5.0, 16.0);
            assertThat(day.path("precipitation_mm").asDouble()).isGreaterThanOrEqualTo(0);
            assertThat(ICONS).contains(day.path("icon").asText());
            date = date.plusDays(1);
        }
        assertThat(days.get(0).path("weekday").asText()).isEqualTo("Tuesday");
    }

    @Test
    void sameDateSameAnswerAndDaysAgreeAcrossForecasts() throws Exception {
        // "updated" follows the hour before 09:00 (never in the future); the forecast itself is the day's
        assertThat(weatherAt("2026-11-24T06:00:00Z").path("forecast"))
                .isEqualTo(weatherAt("2026-11-24T20:00:00Z").path("forecast"));
        assertThat(weatherAt("2026-11-24T06:00:00Z").path("current"))
                .isEqualTo(weatherAt("2026-11-24T20:00:00Z").path("current"));
        assertThat(Forecast.forDate(LocalDate.parse("2026-11-25")).forecast().get(0))
                .isEqualTo(Forecast.forDate(LocalDate.parse("2026-11-24"))
                        .forecast()
                        .get(1));
        assertThat(weatherAt("2026-11-25T10:00:00Z")).isNotEqualTo(weatherAt("2026-11-24T10:00:00Z"));
    }

    @Test
    void summerIsWarmerThanWinterAndSummerOffsetIsUsed() throws Exception {
        double july = average(LocalDate.parse("2026-07-01"));
        double january = average(LocalDate.parse("2026-01-01"));
        assertThat(july).isBetween(15.0, 26.0);
        assertThat(january).isBetween(-4.0, 6.0);
        assertThat(Forecast.forDate(LocalDate.parse("2026-07-01")).updated()).isEqualTo("2026-07-01T09:00:00+02:00");
    }

    private static double average(LocalDate start) {
        double sum = 0;
        int n = 0;
        for (int week = 0; week < 4; week++) {
            for (Forecast.Day day : Forecast.forDate(start.plusWeeks(week)).forecast()) {
                sum += (day.highC() + day.lowC()) / 2;
                n++;
            }
        }
        return sum / n;
    }

    @Test
    void aYearOfForecastsStaysInsideTheDocumentedVocabulary() {
        LocalDate day = LocalDate.parse("2026-01-01");
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 366; i++) {
            Forecast.Data data = Forecast.forDate(day.plusDays(i));
            for (Forecast.Day d : data.forecast()) {
                assertThat(ICONS).contains(d.icon());
                assertThat(d.highC()).isGreaterThanOrEqualTo(d.lowC() + 1.5 - 0.05);
                seen.add(d.icon());
            }
            assertThat(List.of("N", "NE", "E", "SE", "S", "SW", "W", "NW"))
                    .contains(data.current().windDirection());
        }
        assertThat(seen).as("a year has varied weather").contains("sunny", "rain", "cloudy", "snow");
    }
}
