package dev.streamcast.cli;

import dev.streamcast.cli.files.UserInputException;
import dev.streamcast.config.ConfigException;
import dev.streamcast.kafka.BrokerStartupException;
import dev.streamcast.model.ModelFormatException;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code streamcast}: the command line. Each subcommand wires user input to the parts; this class only sets up
 * how errors are reported: a user's mistake is one line on stderr and exit code 2, never a stack trace.
 */
@Command(name = "streamcast", mixinStandardHelpOptions = true, versionProvider = StreamcastVersion.class,
        description = "Forecasts sensor time series on Kafka with a Keras-faithful LSTM.",
        subcommands = {RunCommand.class, BacktestCommand.class, ReplayCommand.class, ScoreCommand.class,
                DemoCommand.class, BrokerCommand.class, SummaryCommand.class, TrainCommand.class, PredictCommand.class,
                ImportCommand.class, ExportCommand.class, ModelsCommand.class, EvaluateCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class})
public final class StreamcastCommand implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamcastCommand.class);

    /** Exit code for a mistake in the user's input (picocli's usage code). */
    public static final int USER_ERROR = CommandLine.ExitCode.USAGE;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests run commands through it exactly as {@link #main} does. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new StreamcastCommand());
        cli.setParameterExceptionHandler(StreamcastCommand::onParameterError);
        cli.setExecutionExceptionHandler(StreamcastCommand::onExecutionError);
        return cli;
    }

    private static int onParameterError(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        String name = cli.getCommandSpec().qualifiedName();
        cli.getErr().println(name + ": " + e.getMessage() + " (see '" + name + " --help')");
        cli.getErr().flush();
        return USER_ERROR;
    }

    private static int onExecutionError(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        String name = cli.getCommandSpec().qualifiedName();
        if (e instanceof UserInputException || e instanceof ModelFormatException || e instanceof ConfigException) {
            // The cause (a Kafka client's exception, say) is detail for the log at DEBUG, never the terminal.
            LOG.debug("{} failed", name, e);
            err.println(name + ": " + e.getMessage());
            err.flush();
            return USER_ERROR;
        }
        if (e instanceof BrokerStartupException) {
            // The machine's problem (a port in use, a directory in use or not writable), not a bug: one line says
            // which, and, like any mistake the user can fix, exit code 2.
            LOG.debug("{} failed", name, e);
            err.println(name + ": " + e.getMessage());
            err.flush();
            return USER_ERROR;
        }
        LOG.error("{} failed", name, e);
        err.println(name + ": internal error: " + e + " (details in the log above)");
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }
}
