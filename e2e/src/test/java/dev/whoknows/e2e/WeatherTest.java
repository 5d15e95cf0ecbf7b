package dev.whoknows.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

class WeatherTest {
    @RegisterExtension
    static final WhoKnowsSite site = WhoKnowsSite.withJavaScript();

    @Test
    void showsTheBackendsCurrentConditionsAndEveryDay() {
        site.open("/weather");
        WeatherTest.waitForWeather(site, "ready");
        JsonNode data = site.backendJson("/api/weather").get("data");

        JsonNode location = data.get("location");
        assertThat(site.find("#weather-place").getText())
                .isEqualTo(location.get("name").asText() + ", "
                        + location.get("country").asText());
        JsonNode current = data.get("current");
        assertThat(site.find("#weather-temperature").getText())
                .isEqualTo(Math.round(current.get("temperature_c").asDouble()) + "°C");
        assertThat(site.find("#weather-condition").getText())
                .isEqualTo(current.get("condition").asText());
        assertThat(site.find("#weather-wind").getText())
                .contains(current.get("wind_direction").asText());
        assertThat(site.find("#weather-current-icon").getAttribute("src"))
                .endsWith("/static/img/weather/" + current.get("icon").asText() + ".svg");

        JsonNode forecast = data.get("forecast");
        List<WebElement> days = site.findAll("#weather-forecast .forecast-day");
        assertThat(forecast.size()).isGreaterThanOrEqualTo(3);
        assertThat(days).hasSize(forecast.size());
        assertThat(days.get(0).findElement(By.className("forecast-weekday")).getText())
                .isEqualTo("Today");
        for (int i = 0; i < days.size(); i++) {
            JsonNode day = forecast.get(i);
            WebElement shown = days.get(i);
            assertThat(shown.findElement(By.className("forecast-condition")).getText())
                    .isEqualTo(day.get("condition").asText());
            assertThat(shown.findElement(By.className("forecast-high")).getText())
                    .isEqualTo(Math.round(day.get("high_c").asDouble()) + "°");
            assertThat(shown.findElement(By.className("forecast-low")).getText())
                    .isEqualTo(Math.round(day.get("low_c").asDouble()) + "°");
            if (i > 0) {
                assertThat(day.get("weekday").asText())
                        .startsWith(shown.findElement(By.className("forecast-weekday"))
                                .getText());
            }
        }
        for (WebElement icon : site.findAll("#weather img")) {
            assertThat(icon.getDomProperty("naturalWidth"))
                    .as("icon %s loads", icon.getAttribute("src"))
                    .isNotEqualTo("0");
        }
    }

    static void waitForWeather(WhoKnowsSite site, String state) {
        site.waitFor(
                "the weather page to be " + state,
                d -> state.equals(d.findElement(By.id("weather-status")).getAttribute("data-state")));
    }
}
