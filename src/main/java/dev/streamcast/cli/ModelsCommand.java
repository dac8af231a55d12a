package dev.streamcast.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code streamcast models}: the models of a running deployment. */
@Command(name = "models", mixinStandardHelpOptions = true, subcommands = {ModelsPublishCommand.class},
        description = "The models of a running deployment: 'models publish' puts a model on its models topic.")
final class ModelsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
