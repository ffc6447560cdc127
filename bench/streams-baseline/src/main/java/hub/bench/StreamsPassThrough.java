package hub.bench;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Kafka Streams pass-through baseline for the router benchmark: reads byte[] keys
 * and values from an input topic and writes every record unchanged to an output
 * topic with processing.guarantee=exactly_once_v2, and reports records per second.
 *
 * <pre>
 * java -cp 'target/streams-baseline-1.0.0.jar:target/dependency/*' hub.bench.StreamsPassThrough \
 *   --bootstrap 127.0.0.1:9092 --input in --output out --expected 200000 \
 *   [--application-id ID] [--state-dir DIR] [--timeout-seconds 300] [--threads 1]
 * </pre>
 *
 * <p>The clock starts when the topology processes its first record and stops when
 * the transaction holding the N-th record has committed. That is observed through
 * the application's committed input offsets (read with an admin client): with EOS v2
 * the input offsets are committed in the same transaction as the output records,
 * so once every partition's committed offset is past the last of the N records
 * processed there, those output records are committed too. The admin polling is
 * cheap (one request per 20 ms) where a read_committed consumer reading the whole
 * output topic during the run would compete with Streams for the two cores.
 * After the clock stops, a read_committed consumer counts the output topic
 * (untimed) and the run fails unless at least N committed records are there.
 *
 * <p>Last line on stdout on success (exit 0):
 * {@code streams-eos-v2 <N> records in <seconds> s: <rate> records/s}.
 * Exit 1 on timeout, 2 on bad arguments, 3 when Streams fails, 4 when the output
 * check finds fewer than N committed records.
 */
public final class StreamsPassThrough {

  /**
   * num.stream.threads default: 1. Measured on the 2-core development machine, broker
   * (KAFKA_HEAP=384m) on the same machine, records of 300 bytes on 3 partitions, runs
   * alternating 1 and 2 threads, counting only runs during which other processes used
   * under 0.05 cores: 200,000 records, 1 thread 48-66k records/s (median 59k, 4 runs),
   * 2 threads 44-67k (median 60k, 5 runs); 1,000,000 records, 1 thread 114-139k (median
   * 119k, 3 runs), 2 threads 95-137k (median 120k, 5 runs). No difference beyond the
   * noise. Two threads only came out ahead when other processes competed for the CPU
   * (two threads get a bigger share of it), which is not the limit this baseline is
   * for; one thread keeps all 3 tasks in one transaction per commit instead of two
   * transactions and a 2/1 task split. --threads overrides.
   */
  static final int DEFAULT_THREADS = 1;
  static final long POLL_MS = 20;

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = parse(args);
    String bootstrap = required(opts, "bootstrap");
    String input = required(opts, "input");
    String output = required(opts, "output");
    long expected = Long.parseLong(required(opts, "expected"));
    String applicationId = opts.getOrDefault("application-id", "streams-baseline-" + System.currentTimeMillis());
    String stateDir = opts.getOrDefault("state-dir",
        new File(System.getProperty("java.io.tmpdir"), "streams-baseline-" + applicationId).getPath());
    long timeoutSeconds = Long.parseLong(opts.getOrDefault("timeout-seconds", "300"));
    int threads = Integer.parseInt(opts.getOrDefault("threads", String.valueOf(DEFAULT_THREADS)));
    if (expected <= 0 || timeoutSeconds <= 0 || threads <= 0) usage("--expected, --timeout-seconds and --threads must be positive");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);

    Properties props = new Properties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // commit.interval.ms stays at the EOS default (100 ms); no other tuning.
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(threads));
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // No global state here; these only silence the 4.x warning about the 5.0 default, logged
    // once for the client and once per stream thread by the partition assignor, which
    // sees only the main consumer's configs.
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
    props.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), "true");

    AtomicLong processed = new AtomicLong();
    AtomicLong firstNanos = new AtomicLong();
    // Of the first N records, how many have their offset in lastOffsets (after the merge,
    // so with two threads the main thread never checks a map one merge short).
    AtomicLong tracked = new AtomicLong();
    // Per input partition, the offset of the last record among the first N processed.
    Map<Integer, Long> lastOffsets = new ConcurrentHashMap<>();

    // The builder gets the config too: a bare StreamsBuilder() validates an empty one and warns.
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
        .processValues(() -> new FixedKeyProcessor<byte[], byte[], byte[]>() {
          private FixedKeyProcessorContext<byte[], byte[]> context;

          @Override
          public void init(FixedKeyProcessorContext<byte[], byte[]> context) {
            this.context = context;
          }

          @Override
          public void process(FixedKeyRecord<byte[], byte[]> record) {
            long n = processed.incrementAndGet();
            if (n == 1) firstNanos.compareAndSet(0, System.nanoTime());
            if (n <= expected) {
              context.recordMetadata().ifPresent((m) -> lastOffsets.merge(m.partition(), m.offset(), Math::max));
              tracked.incrementAndGet();
            }
            context.forward(record);
          }
        })
        .to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));

    AtomicReference<Throwable> failure = new AtomicReference<>();
    KafkaStreams streams = new KafkaStreams(builder.build(), props);
    streams.setUncaughtExceptionHandler((e) -> {
      failure.compareAndSet(null, e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });

    Properties adminProps = new Properties();
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(adminProps)) {
      streams.start();
      long endNanos;
      // Without requireStable the coordinator answers with the last committed offsets:
      // offsets of a transaction still open are not applied before its commit marker.
      // (requireStable would report UNSTABLE_OFFSET_COMMIT, logged as a WARN each time.)
      ListConsumerGroupOffsetsOptions committedOnly = new ListConsumerGroupOffsetsOptions();
      while (true) {
        if (failure.get() != null || streams.state() == KafkaStreams.State.ERROR
            || streams.state() == KafkaStreams.State.NOT_RUNNING || streams.state() == KafkaStreams.State.PENDING_ERROR) {
          fail(3, "Kafka Streams stopped (state " + streams.state() + ") after " + processed.get() + " records"
              + (failure.get() != null ? ": " + failure.get() : ""), streams, failure.get());
        }
        if (System.nanoTime() > deadline) {
          fail(1, String.format(Locale.ROOT,
              "timed out after %d s: %d of %d records processed, committed input offsets %s, last offsets to commit %s",
              timeoutSeconds, processed.get(), expected, committed(admin, applicationId, committedOnly), lastOffsets), streams, null);
        }
        if (tracked.get() >= expected && allCommitted(committed(admin, applicationId, committedOnly), input, lastOffsets)) {
          endNanos = System.nanoTime();
          break;
        }
        Thread.sleep(POLL_MS);
      }
      double seconds = (endNanos - firstNanos.get()) / 1e9;
      streams.close(Duration.ofSeconds(30));

      long onOutput = countCommitted(bootstrap, output, deadline);
      if (onOutput < expected) {
        fail(4, "only " + onOutput + " committed records on " + output + " for " + expected + " passed", null, null);
      }
      if (onOutput > expected) {
        System.err.println("note: " + onOutput + " committed records on " + output + " (more than the " + expected
            + " timed: the topic was not empty or the input holds more than --expected)");
      }
      System.out.printf(Locale.ROOT, "streams-eos-v2 %d records in %.3f s: %.0f records/s%n", expected, seconds, expected / seconds);
      System.out.flush();
      System.exit(0);
    }
  }

  /** The application's committed offsets per input partition (open transactions' offsets excluded). */
  private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String groupId, ListConsumerGroupOffsetsOptions options) {
    try {
      return admin.listConsumerGroupOffsets(groupId, options).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return Map.of(); // not committed yet (or retriable); ask again on the next round
    }
  }

  private static boolean allCommitted(Map<TopicPartition, OffsetAndMetadata> committed, String input, Map<Integer, Long> lastOffsets) {
    if (lastOffsets.isEmpty()) return false;
    for (Map.Entry<Integer, Long> last : lastOffsets.entrySet()) {
      OffsetAndMetadata offset = committed.get(new TopicPartition(input, last.getKey()));
      // The committed offset is the next one to read: past the last record processed.
      if (offset == null || offset.offset() <= last.getValue()) return false;
    }
    return true;
  }

  /** Counts the records a read_committed consumer sees on the topic, up to its last stable offsets. */
  private static long countCommitted(String bootstrap, String topic, long deadline) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic)) partitions.add(new TopicPartition(topic, info.partition()));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // With read_committed, endOffsets are the last stable offsets.
      Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
      long count = 0;
      while (ends.entrySet().stream().anyMatch((e) -> consumer.position(e.getKey()) < e.getValue())) {
        if (System.nanoTime() > deadline) fail(1, "timed out counting the committed records on " + topic + " (" + count + " so far)", null, null);
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
        count += records.count();
      }
      return count;
    }
  }

  private static void fail(int code, String message, KafkaStreams streams, Throwable cause) {
    System.err.println("streams-eos-v2 failed: " + message);
    if (cause != null) cause.printStackTrace();
    System.err.flush();
    if (streams != null) streams.close(Duration.ofSeconds(10));
    System.exit(code);
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) usage("unexpected argument " + args[i]);
      opts.put(args[i].substring(2), args[++i]);
    }
    List<String> known = List.of("bootstrap", "input", "output", "expected", "application-id", "state-dir", "timeout-seconds", "threads");
    for (String key : opts.keySet()) if (!known.contains(key)) usage("unknown option --" + key);
    return opts;
  }

  private static String required(Map<String, String> opts, String name) {
    String value = opts.get(name);
    if (value == null || value.isEmpty()) usage("--" + name + " is required");
    return value;
  }

  private static void usage(String problem) {
    System.err.println("streams-eos-v2: " + problem);
    System.err.println("usage: StreamsPassThrough --bootstrap HOST:PORT --input TOPIC --output TOPIC --expected N"
        + " [--application-id ID] [--state-dir DIR] [--timeout-seconds 300] [--threads " + DEFAULT_THREADS + "]");
    System.exit(2);
  }
}
