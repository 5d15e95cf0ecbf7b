package dev.whoknows.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** At 04:10 in Copenhagen the weather page must not say it was updated at 09:00 (issue 18). */
class WeatherUpdatedTest {
    @RegisterExtension
    static final WhoKnowsSite site = WhoKnowsSite.withJavaScriptAt("2026-11-24T03:10:00Z");

    @Test
    void earlyInTheMorningUpdatedIsTheLastFullHourNotLaterToday() {
        site.open("/weather");
        WeatherTest.waitForWeather(site, "ready");
        assertThat(site.find("#weather-updated").getText()).isEqualTo("Updated Tue 24 Nov, 04:00 local time");
        assertThat(site.find("#weather-forecast li").getText()).startsWith("Today");
    }
}
