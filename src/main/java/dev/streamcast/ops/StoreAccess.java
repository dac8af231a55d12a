package dev.streamcast.ops;

import dev.streamcast.service.StreamcastService;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Opens this instance's part of a key-value store through interactive queries, or says why it cannot (503). */
final class StoreAccess {

    private StoreAccess() {
    }

    static ReadOnlyKeyValueStore<String, byte[]> open(StreamcastService service, String storeName) {
        KafkaStreams streams = service.streams();
        if (streams == null) {
            throw ApiException.unavailable("Kafka Streams is not started");
        }
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            throw ApiException.unavailable("Kafka Streams is " + state + "; the state stores cannot be queried");
        }
        return streams.store(StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.keyValueStore()));
    }
}
