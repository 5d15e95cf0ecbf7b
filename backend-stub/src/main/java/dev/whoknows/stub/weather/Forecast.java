package dev.whoknows.stub.weather;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A made-up but plausible Copenhagen forecast. Everything is a pure function of the date: the same
 * date always gives the same answer, and a day looks the same in every forecast that contains it.
 * Values follow Copenhagen's climate (monthly mean highs/lows, wet-day share, westerly winds).
 */
public final class Forecast {
    public static final ZoneId ZONE = ZoneId.of("Europe/Copenhagen");
    public static final int DAYS = 7;
    private static final LocalTime PUBLISHED = LocalTime.of(9, 0);

    // Monthly means for Copenhagen, January..December (degrees C) and share of days with rain.
    private static final double[] HIGH = {2.5, 2.8, 5.6, 11.0, 15.8, 19.3, 21.7, 21.4, 17.6, 12.6, 7.7, 4.3};
    private static final double[] LOW = {-1.4, -1.6, 0.1, 3.6, 8.0, 11.6, 14.0, 13.9, 11.0, 7.4, 3.8, 1.0};
    private static final double[] WET = {.55, .45, .42, .38, .38, .40, .44, .45, .48, .52, .56, .56};
    private static final String[] DIRECTIONS = {"SW", "W", "S", "NW", "E", "SE", "N", "NE"};
    private static final double[] DIRECTION_WEIGHT = {.25, .25, .10, .10, .10, .08, .06, .06};

    public record Location(String name, String country, double latitude, double longitude) {}

    public record Current(
            @JsonProperty("temperature_c") double temperatureC,
            @JsonProperty("feels_like_c") double feelsLikeC,
            String condition,
            String icon,
            @JsonProperty("humidity_pct") int humidityPct,
            @JsonProperty("wind_kph") double windKph,
            @JsonProperty("wind_direction") String windDirection) {}

    public record Day(
            String date,
            String weekday,
            String condition,
            String icon,
            @JsonProperty("high_c") double highC,
            @JsonProperty("low_c") double lowC,
            @JsonProperty("precipitation_mm") double precipitationMm,
            @JsonProperty("wind_kph") double windKph) {}

    public record Data(Location location, String updated, Current current, List<Day> forecast) {}

    public record Response(Data data) {}

    private record Weather(Day day, int humidity, String direction) {}

    private Forecast() {}

    /**
     * The forecast as it stands at {@code now}: the day's forecast, updated at 09:00 local time, or
     * before 09:00 at the last full hour, so "updated" is never later than {@code now}.
     */
    public static Data at(ZonedDateTime now) {
        ZonedDateTime local = now.withZoneSameInstant(ZONE);
        Data data = forDate(local.toLocalDate());
        if (local.toLocalTime().isBefore(PUBLISHED)) {
            String updated = local.truncatedTo(ChronoUnit.HOURS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return new Data(data.location(), updated, data.current(), data.forecast());
        }
        return data;
    }

    /** The forecast as published on the morning of {@code date} (updated 09:00 local time). */
    public static Data forDate(LocalDate date) {
        List<Day> days = new ArrayList<>();
        for (int i = 0; i < DAYS; i++) {
            days.add(weather(date.plusDays(i)).day());
        }
        Weather today = weather(date);
        Day day = today.day();
        double temp = round(day.lowC() + 0.3 * (day.highC() - day.lowC()));
        Current current = new Current(
                temp,
                feelsLike(temp, day.windKph()),
                day.condition(),
                day.icon(),
                today.humidity(),
                day.windKph(),
                today.direction());
        String updated = date.atTime(PUBLISHED).atZone(ZONE).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        return new Data(new Location("Copenhagen", "Denmark", 55.68, 12.57), updated, current, days);
    }

    private static Weather weather(LocalDate date) {
        int month = date.getMonthValue() - 1;
        double anomaly = 0.5 * noise(date) + 0.3 * noise(date.minusDays(1)) + 0.2 * noise(date.minusDays(2));
        SplittableRandom rng = random(date, 1);
        double high = climate(HIGH, date) + 2.6 * anomaly + rng.nextDouble(-0.8, 0.8);
        double low = climate(LOW, date) + 2.0 * anomaly + rng.nextDouble(-0.8, 0.8);
        high = Math.max(high, low + 1.5);
        boolean winter = month <= 1 || month >= 10;
        double wind = 8 + 24 * Math.pow(rng.nextDouble(), 1.4) + (winter ? 5 : 0);
        boolean wet = rng.nextDouble() < WET[month];
        double rain = wet ? Math.max(0.2, -3.0 * Math.log(1 - rng.nextDouble())) : 0;
        double cloud = wet ? 1 : rng.nextDouble();
        boolean summer = month >= 5 && month <= 7;
        String condition;
        String icon;
        if (wet && high <= 1.5) {
            condition = "Snow";
            icon = "snow";
        } else if (wet && low <= 0.5 && high <= 4) {
            condition = "Sleet";
            icon = "snow";
        } else if (wet && summer && rng.nextDouble() < 0.15) {
            condition = "Thunderstorms";
            icon = "thunder";
        } else if (wet && rain >= 5) {
            condition = "Rain";
            icon = "rain";
        } else if (wet && month >= 3 && month <= 8) {
            condition = "Showers";
            icon = "showers";
        } else if (wet) {
            condition = "Light rain";
            icon = "rain";
        } else if (wind >= 34) {
            condition = "Windy";
            icon = "wind";
        } else if ((winter || month == 9) && cloud < 0.12) {
            condition = "Fog";
            icon = "fog";
        } else if (cloud < 0.3) {
            condition = "Sunny";
            icon = "sunny";
        } else if (cloud < 0.65) {
            condition = "Partly cloudy";
            icon = "partly-cloudy";
        } else {
            condition = "Cloudy";
            icon = "cloudy";
        }
        int humidity = (int)
                Math.min(98, Math.round((winter ? 86 : summer ? 71 : 78) + rng.nextDouble(-6, 6) + (wet ? 6 : 0)));
        String direction = direction(rng.nextDouble());
        Day day = new Day(
                date.toString(),
                date.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH),
                condition,
                icon,
                round(high),
                round(low),
                round(rain),
                round(wind));
        return new Weather(day, humidity, direction);
    }

    /** Linear interpolation between the monthly means, which sit at mid-month. */
    private static double climate(double[] monthly, LocalDate date) {
        double position = (date.getDayOfYear() - 15.5) / (date.lengthOfYear() / 12.0);
        int below = (int) Math.floor(position);
        double t = position - below;
        return monthly[Math.floorMod(below, 12)] * (1 - t) + monthly[Math.floorMod(below + 1, 12)] * t;
    }

    private static double noise(LocalDate date) {
        return Math.max(-2.5, Math.min(2.5, random(date, 2).nextGaussian()));
    }

    private static SplittableRandom random(LocalDate date, long stream) {
        return new SplittableRandom(date.toEpochDay() * 0x9E3779B97F4A7C15L + stream);
    }

    private static String direction(double u) {
        double sum = 0;
        for (int i = 0; i < DIRECTIONS.length; i++) {
            sum += DIRECTION_WEIGHT[i];
            if (u < sum) {
                return DIRECTIONS[i];
            }
        }
        return DIRECTIONS[0];
    }

    /** Wind chill (Environment Canada formula) where it applies, otherwise the air temperature. */
    static double feelsLike(double tempC, double windKph) {
        if (tempC > 10 || windKph <= 4.8) {
            return tempC;
        }
        double v = Math.pow(windKph, 0.16);
        return round(13.12 + 0.6215 * tempC - 11.37 * v + 0.3965 * tempC * v);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
