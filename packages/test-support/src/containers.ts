import { freePort } from './free-port.ts';

/** The images docker-compose.yml runs: the Kafka that infra/kafka pins, and the ClickHouse server. */
export const KAFKA_IMAGE = 'apache/kafka:4.4.0';
export const CLICKHOUSE_IMAGE = 'clickhouse/clickhouse-server:25.8';

export interface ContainerServices {
  /** Bootstrap servers of the Kafka container, as the host reaches it. */
  readonly brokers: string;
  /** `http://user:password@host:port` of the ClickHouse container. */
  readonly clickhouseUrl: string;
  stop(): Promise<void>;
}

/**
 * Where a Docker engine answers (the design card's testcontainers path): a
 * single-node KRaft Kafka from the official image, configured as the local
 * broker is (infra/kafka), and a ClickHouse server, both started with
 * testcontainers. Where none answers, the reason, and nothing is started.
 *
 * The Kafka container publishes its listener on a free host port fixed before
 * the start, because a broker must advertise the address its clients use.
 */
export async function startContainers(): Promise<ContainerServices | { unavailable: string }> {
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch (error) {
    return { unavailable: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
  const kafkaPort = await freePort();
  const kafka = await new GenericContainer(KAFKA_IMAGE)
    .withExposedPorts({ container: 9092, host: kafkaPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_NUM_PARTITIONS: '3',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_HEAP_OPTS: '-Xms384m -Xmx384m',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .start();
  try {
    const clickhouse = await new GenericContainer(CLICKHOUSE_IMAGE)
      .withExposedPorts(8123)
      .withEnvironment({ CLICKHOUSE_USER: 'hub', CLICKHOUSE_PASSWORD: 'hub', CLICKHOUSE_DEFAULT_ACCESS_MANAGEMENT: '1' })
      .withWaitStrategy(Wait.forHttp('/ping', 8123))
      .start();
    return {
      brokers: `127.0.0.1:${kafkaPort}`,
      clickhouseUrl: `http://hub:hub@${clickhouse.getHost()}:${clickhouse.getMappedPort(8123)}`,
      async stop() {
        await Promise.all([clickhouse.stop(), kafka.stop()]);
      },
    };
  } catch (error) {
    await kafka.stop();
    throw error;
  }
}
