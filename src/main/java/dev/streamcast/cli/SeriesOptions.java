package dev.streamcast.cli;

import dev.streamcast.cli.files.CsvSeriesReader;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the series of a command come from: {@code --data CSV [--column NAME] [--key COLUMN]}. */
final class SeriesOptions {

    @Option(names = "--data", required = true, paramLabel = "CSV", description = "A CSV file; its header line names "
            + "the columns (without one, a first line of numbers: column1, column2...).")
    Path data;

    @Option(names = "--column", paramLabel = "NAME",
            description = "The value column (default: the last numeric column).")
    String column;

    @Option(names = "--key", paramLabel = "COLUMN",
            description = "A column that splits the rows into one series per sensor.")
    String key;

    /** Every series of the file, each long enough for one window and the value after it. */
    Map<String, double[]> read(int windowLength) {
        Map<String, double[]> series = CsvSeriesReader.read(data, column, key);
        CsvSeriesReader.requireLength(data, series, windowLength);
        return series;
    }
}
