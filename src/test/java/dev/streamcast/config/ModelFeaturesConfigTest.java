package dev.streamcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.streamcast.model.Features;
import dev.streamcast.model.ModelCodec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** model.features: the default, the architecture widened to it, and its refusals. */
@Tag("unit")
class ModelFeaturesConfigTest {

    private static ForecastSettings settings(String features) {
        return ForecastSettings.from(StreamcastConfig.of(Map.of("model.features", features)));
    }

    @Test
    void theArchitectureStaysTheSeedsLayersWidenedToTheFeatures() {
        ForecastSettings wide = settings("value,season,week.sin");
        assertEquals(Features.parse("value,season,week.sin"), wide.features());
        assertEquals(List.of(3, 3), wide.architecture().layers().get(0).inputShape());
        assertEquals(wide.features(), ModelCodec.toForecaster(wide.architecture(), 0).features());
        assertEquals(4, wide.architecture().layers().size());

        ForecastSettings valueOnly = settings("value");
        assertEquals(Features.VALUE, valueOnly.features());
        assertEquals(List.of(3, 1), valueOnly.architecture().layers().get(0).inputShape());
    }

    @Test
    void unknownDuplicatedOrValuelessFeaturesAreOneLineConfigurationErrors() {
        String[][] mistakes = {
            {"value,hour", "model.features: unknown feature 'hour'; expected value, season, day.sin, day.cos, "
                + "week.sin, week.cos"},
            {"value,season,season", "model.features: feature 'season' is listed twice"},
            {"season,day.cos", "model.features: the features must include value (the reading itself), got "
                + "season,day.cos"},
            {" ", "model.features: expected a comma-separated list of value, season, day.sin, day.cos, week.sin, "
                + "week.cos with value"},
        };
        for (String[] m : mistakes) {
            ConfigException e = assertThrows(ConfigException.class, () -> settings(m[0]), m[0]);
            assertEquals(m[1], e.getMessage());
            assertEquals(-1, e.getMessage().indexOf('\n'));
        }
    }
}
