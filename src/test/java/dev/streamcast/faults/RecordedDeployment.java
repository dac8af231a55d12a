package dev.streamcast.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A deployment's Kafka side, kept in files and written back: every topic (its partitions, its own settings, and its
 * committed records as a read_committed consumer sees them: partition, offset, timestamp, key, value, headers) and
 * every consumer group's committed offsets. {@link #record} writes them from a live broker; {@link #restore} creates
 * the topics on a fresh broker, writes the records to the partitions they were in, in their order, and commits each
 * group's offsets at the same records. How an upgrade test puts an older version's topics (its models, its
 * changelogs) in front of the new version without running the older version.
 *
 * <p>Files: {@code deployment.json} (what the caller recorded about the run, the topics and the groups) and one
 * {@code <topic>.jsonl} (or {@code .jsonl.gz} when larger than {@value #GZIP_ABOVE} bytes) per topic, a record a
 * line, bytes in base64. Kafka Streams' changelogs are kept as compaction leaves them: each key's last record.
 *
 * <p>Offsets: a topic written in transactions has gaps (the markers), a record written again has none; a group's
 * committed offset is moved to the same record ({@link #restore} returns the map). A topic written without
 * transactions (the readings) keeps its offsets.
 */
final class RecordedDeployment {

    static final String DEPLOYMENT_FILE = "deployment.json";
    static final int GZIP_ABOVE = 64 * 1024;
    /** Kafka Streams' changelog topics: recorded as compaction leaves them ({@link #compacted}). */
    static final String CHANGELOG_SUFFIX = "-changelog";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    private static final Base64.Decoder UNBASE64 = Base64.getDecoder();

    /** One record as it was on its topic. */
    record Stored(int partition, long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {
    }

    /** One topic: its partitions, its own settings (those set on the topic, not inherited) and records. */
    record StoredTopic(String name, int partitions, Map<String, String> configs, List<Stored> records) {
    }

    private final ObjectNode info;
    private final Map<String, StoredTopic> topics;
    private final Map<String, Map<TopicPartition, Long>> groups;

    private RecordedDeployment(ObjectNode info, Map<String, StoredTopic> topics,
                               Map<String, Map<TopicPartition, Long>> groups) {
        this.info = info;
        this.topics = topics;
        this.groups = groups;
    }

    /** What the recording run said about itself (the plan, the settings, the version). */
    ObjectNode info() {
        return info;
    }

    StoredTopic topic(String name) {
        StoredTopic t = topics.get(name);
        if (t == null) {
            throw new AssertionError("the recorded deployment has no topic " + name + "; it has " + topics.keySet());
        }
        return t;
    }

    Set<String> topicNames() {
        return topics.keySet();
    }

    Map<String, Map<TopicPartition, Long>> groups() {
        return groups;
    }

    /**
     * Reads every topic (but Kafka's own, {@code __*}) and every consumer group of the broker at {@code bootstrap}
     * into {@code dir}, with {@code info} (the caller's description of the run) in {@code deployment.json}.
     */
    static RecordedDeployment record(String bootstrap, ObjectNode info, Path dir) {
        try (Admin admin = admin(bootstrap)) {
            Set<String> names = new java.util.TreeSet<>(admin.listTopics().names().get(60, TimeUnit.SECONDS));
            names.removeIf(n -> n.startsWith("__"));
            Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames()
                    .get(60, TimeUnit.SECONDS);
            List<ConfigResource> resources = names.stream()
                    .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(60, TimeUnit.SECONDS);
            Map<String, StoredTopic> topics = new TreeMap<>();
            for (String name : names) {
                Map<String, String> own = new TreeMap<>();
                for (ConfigEntry e : configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name)).entries()) {
                    if (e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                        own.put(e.name(), e.value());
                    }
                }
                int partitions = descriptions.get(name).partitions().size();
                List<Stored> records = readAll(bootstrap, name, partitions);
                topics.put(name, new StoredTopic(name, partitions, own,
                        name.endsWith(CHANGELOG_SUFFIX) ? compacted(records) : records));
            }
            Map<String, Map<TopicPartition, Long>> groups = new TreeMap<>();
            for (GroupListing g : admin.listGroups().all().get(60, TimeUnit.SECONDS)) {
                Map<TopicPartition, Long> offsets = new TreeMap<>(
                        java.util.Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition));
                admin.listConsumerGroupOffsets(g.groupId()).partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS)
                        .forEach((tp, o) -> offsets.put(tp, o.offset()));
                groups.put(g.groupId(), offsets);
            }
            RecordedDeployment recorded = new RecordedDeployment(info, topics, groups);
            recorded.write(dir);
            return recorded;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot record the deployment at " + bootstrap + ": " + e, e);
        }
    }

    /** Reads a recording made by {@link #record} from the test resources under {@code resourceDir}. */
    static RecordedDeployment load(String resourceDir) {
        try {
            ObjectNode doc = (ObjectNode) JSON.readTree(resource(resourceDir + "/" + DEPLOYMENT_FILE));
            Map<String, StoredTopic> topics = new TreeMap<>();
            for (JsonNode t : doc.path("topics")) {
                String name = t.path("name").asText();
                Map<String, String> configs = new TreeMap<>();
                t.path("configs").fields().forEachRemaining(e -> configs.put(e.getKey(), e.getValue().asText()));
                List<Stored> records = new ArrayList<>();
                String file = resourceDir + "/" + t.path("file").asText();
                try (BufferedReader in = new BufferedReader(new InputStreamReader(
                        file.endsWith(".gz") ? new GZIPInputStream(resource(file)) : resource(file),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (!line.isBlank()) {
                            records.add(stored(JSON.readTree(line)));
                        }
                    }
                }
                topics.put(name, new StoredTopic(name, t.path("partitions").asInt(), configs, records));
            }
            Map<String, Map<TopicPartition, Long>> groups = new TreeMap<>();
            doc.path("groups").fields().forEachRemaining(g -> {
                Map<TopicPartition, Long> offsets = new HashMap<>();
                for (JsonNode o : g.getValue()) {
                    offsets.put(new TopicPartition(o.path("topic").asText(), o.path("partition").asInt()),
                            o.path("offset").asLong());
                }
                groups.put(g.getKey(), offsets);
            });
            return new RecordedDeployment((ObjectNode) doc.path("run"), topics, groups);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the recorded deployment under " + resourceDir, e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = RecordedDeployment.class.getResourceAsStream("/" + name);
        if (in == null) {
            throw new AssertionError("test resource missing: " + name);
        }
        return in;
    }

    /**
     * Creates every recorded topic on the broker at {@code bootstrap} (which must not have them), with its partitions
     * and own settings, and {@code retention.ms=-1} on those that delete by age (the records keep their recorded
     * timestamps, which age); writes the records back, partition by partition in their order; commits every group's
     * offsets at the same records.
     *
     * @return per topic partition, each recorded offset's new offset
     */
    Map<TopicPartition, Map<Long, Long>> restore(String bootstrap) {
        Map<TopicPartition, Map<Long, Long>> moved = new HashMap<>();
        try (Admin admin = admin(bootstrap);
             KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            List<NewTopic> create = new ArrayList<>();
            for (StoredTopic t : topics.values()) {
                Map<String, String> configs = new HashMap<>(t.configs());
                if (!configs.getOrDefault("cleanup.policy", "delete").equals("compact")) {
                    configs.put("retention.ms", "-1");
                }
                create.add(new NewTopic(t.name(), t.partitions(), (short) 1).configs(configs));
            }
            admin.createTopics(create).all().get(60, TimeUnit.SECONDS);
            for (StoredTopic t : topics.values()) {
                awaitLeaders(producer, t);
            }
            for (StoredTopic t : topics.values()) {
                List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
                for (Stored r : t.records()) {
                    sent.add(producer.send(new ProducerRecord<>(t.name(), r.partition(), r.timestamp(), r.key(),
                            r.value(), r.headers())));
                }
                producer.flush();
                for (int i = 0; i < sent.size(); i++) {
                    RecordMetadata m = sent.get(i).get(60, TimeUnit.SECONDS);
                    Stored r = t.records().get(i);
                    moved.computeIfAbsent(new TopicPartition(t.name(), r.partition()), k -> new HashMap<>())
                            .put(r.offset(), m.offset());
                }
            }
            for (Map.Entry<String, Map<TopicPartition, Long>> g : groups.entrySet()) {
                Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
                g.getValue().forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(
                        movedOffset(tp, offset, moved))));
                admin.alterConsumerGroupOffsets(g.getKey(), commit).all().get(60, TimeUnit.SECONDS);
            }
            return moved;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot restore the recorded deployment on " + bootstrap + ": " + e, e);
        }
    }

    /** Waits until every partition of a new topic has a leader, so the first writes are not refused. */
    private static void awaitLeaders(KafkaProducer<byte[], byte[]> producer, StoredTopic t) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (producer.partitionsFor(t.name()).stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty())
                || producer.partitionsFor(t.name()).size() < t.partitions()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the partitions of " + t.name() + " have no leader after 60 s");
            }
            JvmProcess.sleep(100);
        }
    }

    /**
     * Where a committed offset points after the records were written again: the new offset of the first record at or
     * after it (the end of the partition when none is).
     */
    private long movedOffset(TopicPartition tp, long committed, Map<TopicPartition, Map<Long, Long>> moved) {
        long count = 0;
        for (Stored r : topics.containsKey(tp.topic()) ? topic(tp.topic()).records() : List.<Stored>of()) {
            if (r.partition() == tp.partition()) {
                if (r.offset() >= committed) {
                    return moved.get(tp).get(r.offset());
                }
                count++;
            }
        }
        return count;
    }

    private void write(Path dir) {
        try {
            Files.createDirectories(dir);
            ObjectNode doc = JSON.createObjectNode();
            doc.set("run", info);
            ArrayNode topicList = doc.putArray("topics");
            for (StoredTopic t : topics.values()) {
                byte[] lines = jsonLines(t.records());
                String file = t.name() + (lines.length > GZIP_ABOVE ? ".jsonl.gz" : ".jsonl");
                try (OutputStream out = lines.length > GZIP_ABOVE
                        ? new GZIPOutputStream(Files.newOutputStream(dir.resolve(file)))
                        : Files.newOutputStream(dir.resolve(file))) {
                    out.write(lines);
                }
                ObjectNode node = topicList.addObject().put("name", t.name()).put("partitions", t.partitions())
                        .put("records", t.records().size()).put("file", file);
                ObjectNode configs = node.putObject("configs");
                t.configs().forEach(configs::put);
            }
            ObjectNode groupNode = doc.putObject("groups");
            groups.forEach((group, offsets) -> {
                ArrayNode list = groupNode.putArray(group);
                offsets.forEach((tp, o) -> list.addObject().put("topic", tp.topic()).put("partition", tp.partition())
                        .put("offset", o));
            });
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(DEPLOYMENT_FILE).toFile(), doc);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the recorded deployment to " + dir, e);
        }
    }

    private static byte[] jsonLines(Collection<Stored> records) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8))) {
            for (Stored r : records) {
                ObjectNode line = JSON.createObjectNode().put("partition", r.partition()).put("offset", r.offset())
                        .put("timestamp", r.timestamp());
                line.put("key", r.key() == null ? null : BASE64.encodeToString(r.key()));
                line.put("value", r.value() == null ? null : BASE64.encodeToString(r.value()));
                if (!r.headers().isEmpty()) {
                    ArrayNode headers = line.putArray("headers");
                    for (Header h : r.headers()) {
                        headers.addObject().put("key", h.key())
                                .put("value", h.value() == null ? null : BASE64.encodeToString(h.value()));
                    }
                }
                out.write(JSON.writeValueAsString(line));
                out.newLine();
            }
        }
        return bytes.toByteArray();
    }

    private static Stored stored(JsonNode line) {
        List<Header> headers = new ArrayList<>();
        for (JsonNode h : line.path("headers")) {
            headers.add(new RecordHeader(h.path("key").asText(), bytesOrNull(h.path("value"))));
        }
        return new Stored(line.path("partition").asInt(), line.path("offset").asLong(), line.path("timestamp").asLong(),
                bytesOrNull(line.path("key")), bytesOrNull(line.path("value")), headers);
    }

    private static byte[] bytesOrNull(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : UNBASE64.decode(node.asText());
    }

    /**
     * What log compaction leaves of a changelog: each key's last record, in offset order. A store restored from it
     * ends the same as from the whole log, and the recording stays small.
     */
    private static List<Stored> compacted(List<Stored> records) {
        Map<String, Stored> last = new HashMap<>();
        for (Stored r : records) {
            last.put(r.partition() + "/" + Base64.getEncoder().encodeToString(r.key()), r);
        }
        List<Stored> kept = new ArrayList<>(last.values());
        kept.sort(java.util.Comparator.comparingInt(Stored::partition).thenComparingLong(Stored::offset));
        return kept;
    }

    /** Every committed record of {@code topic}, by partition in offset order. */
    private static List<Stored> readAll(String bootstrap, String topic, int partitions) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024));
        List<Stored> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            for (int p = 0; p < partitions; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(60)).get(tp);
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (consumer.position(tp, Duration.ofSeconds(60)) < end) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("cannot read " + tp + " to its end " + end);
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        List<Header> headers = new ArrayList<>();
                        r.headers().forEach(headers::add);
                        out.add(new Stored(p, r.offset(), r.timestamp(), r.key(), r.value(), headers));
                    }
                }
            }
        }
        return out;
    }

    private static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        return Admin.create(props);
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 * 1024 * 1024));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "upgrade-restore");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
