package dev.streamcast.cli;

import dev.streamcast.cli.files.ModelFiles;
import dev.streamcast.cli.files.UserInputException;
import dev.streamcast.cli.runtime.KafkaClientProperties;
import dev.streamcast.cli.runtime.KafkaConnectionCheck;
import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.model.ModelFormatException;
import dev.streamcast.service.ModelPublication;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code streamcast models publish}: a trained model document (an imported one, say) published to the models topic of
 * a running deployment as the next version of its model, without the retraining gate ({@link ModelPublication}).
 * Kafka and the deployment's settings (window.length, model.id, topics.*) are configured as for {@code run}.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publishes a trained model document to the models topic of a running deployment as the next "
                + "version of its model, skipping the retraining gate. Kafka and the deployment's settings are "
                + "configured as for 'run' (default: the embedded broker's address).")
final class ModelsPublishCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A trained model document (streamcast import, "
            + "train, or a model of another deployment).")
    Path model;

    @Option(names = "--model-id", paramLabel = "ID",
            description = "The model it becomes the next version of (default: the deployment's model.id).")
    String modelId;

    @Mixin
    ConfigOptions configuration;

    @Override
    public void run() {
        StreamcastConfig config = configuration.load();
        ForecastSettings settings = ForecastSettings.from(config);
        String id = modelId == null ? settings.modelId() : modelId;
        if (id.isBlank()) {
            throw new UserInputException("--model-id: must not be blank");
        }
        ModelDocument doc = ModelFiles.readDocument(model);
        Properties kafka = KafkaClientProperties.of(config);
        String bootstrap = kafka.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        // the embedded broker's address when none is configured, checked as a configured one is
        StreamcastConfig checked = config.with("kafka.bootstrap.servers", bootstrap);
        ModelPublication.Published published;
        try {
            // the file's own mistakes first, before any connection to Kafka
            ModelPublication.check(doc, id, settings);
            // one line saying why when Kafka does not answer, as for 'run'
            KafkaConnectionCheck.check(checked);
            published = ModelPublication.publish(kafka, settings, id, doc);
        } catch (ModelFormatException | ModelPublication.Mismatch e) {
            throw new UserInputException(model + ": " + e.getMessage(), e);
        } catch (KafkaException e) {
            throw new UserInputException("cannot publish to '" + settings.topics().models() + "' on Kafka at "
                    + bootstrap + " (is the deployment running there? see kafka.bootstrap.servers): "
                    + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("published " + model + " as version " + published.version() + " of model '" + id + "' on '"
                + settings.topics().models() + "' (Kafka at " + bootstrap + "), without the retraining gate"
                + (published.parentVersion() > 0 ? "; it follows version " + published.parentVersion() : ""));
        out.flush();
    }
}
