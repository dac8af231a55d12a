package dev.streamcast.cli;

import dev.streamcast.cli.files.UserInputException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How the commands that score forecasts (backtest, score) score and report: {@code --score-from F --json FILE}. */
final class ScoringOptions {

    @Option(names = "--score-from", paramLabel = "F", defaultValue = "0.5",
            description = "Score each series' forecasts from this fraction of its readings on "
                    + "(default: ${DEFAULT-VALUE}).")
    double scoreFrom;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    /** --score-from, checked: a fraction in [0, 1). */
    double scoreFrom() {
        if (!(scoreFrom >= 0 && scoreFrom < 1)) {
            throw new UserInputException("--score-from: expected a fraction from 0 to below 1, got " + scoreFrom);
        }
        return scoreFrom;
    }
}
