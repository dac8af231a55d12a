package dev.streamcast.cli;

import dev.streamcast.backtest.SensorReading;
import dev.streamcast.cli.files.CsvSeriesReader;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Where timestamped readings come from: {@code --data CSV [--key COLUMN] [--column NAME] [--timestamp COLUMN]}. */
final class ReadingsOptions {

    @Option(names = "--data", required = true, paramLabel = "CSV", description = "A CSV file; its header line names "
            + "the columns (without one, a first line of numbers: column1, column2...).")
    Path data;

    @Option(names = "--key", paramLabel = "COLUMN",
            description = "The sensor id column (default: one sensor, named after the value column).")
    String key;

    @Option(names = "--column", paramLabel = "NAME",
            description = "The value column (default: the last numeric column).")
    String column;

    @Option(names = "--timestamp", paramLabel = "COLUMN", description = "The timestamp column, ISO-8601 or epoch ms "
            + "(default: the column 'timestamp' if any, else each series' i-th row at 2000-01-01T00:00:00Z + i s).")
    String timestamp;

    /** The file's rows as readings, in file order. */
    List<SensorReading> read() {
        return CsvSeriesReader.readReadings(data, column, key, timestamp);
    }
}
