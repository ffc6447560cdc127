import fp from 'fastify-plugin';
import { checkDepartmentPublishers, closeDepartmentPublishers, openDepartmentPublishers } from '@hub/connector-core';
import type { Logger } from '@hub/runtime';
import type { GatewayConfig } from '../config.ts';
import type { RecordPublisherPort } from '../records/publisher-port.ts';
import type { ResourceDirectory } from '../records/resources.ts';

declare module 'fastify' {
  interface FastifyInstance {
    recordPublisher: RecordPublisherPort;
  }
}

/**
 * connectors/core's once-only publisher, one per department: the gateway
 * publishes as that department's connector (connector = department code,
 * instance = GATEWAY_INSTANCE_ID), so its ledger also knows what the
 * department's drop folder and database poller published, and a record pushed
 * after it arrived in a file is a duplicate, not a second event.
 */
export const recordPublisherPlugin = fp<{ config: GatewayConfig; logger: Logger; directory: ResourceDirectory; connectorModules?: readonly string[] }>(
  async (app, { config, logger, directory, connectorModules }) => {
    const publishers = await openDepartmentPublishers({
      kafka: app.kafka,
      serde: app.serde,
      logger,
      departments: [...new Set(directory.list().map((r) => r.department))],
      instanceId: config.GATEWAY_INSTANCE_ID,
      dataDir: config.HUB_DATA_DIR,
      limits: { maxFieldChars: config.GATEWAY_MAX_FIELD_CHARS, maxRecordBytes: config.GATEWAY_MAX_RECORD_BYTES },
      ...(connectorModules ? { connectorModules } : {}),
    });
    app.addHook('onClose', () => closeDepartmentPublishers(publishers));
    app.healthChecks.set('publishers', () => checkDepartmentPublishers(publishers));
    app.decorate('recordPublisher', {
      publish(mapping, natives, source, now, options) {
        const publisher = publishers.get(mapping.department)?.publisher;
        if (!publisher) return Promise.reject(new Error(`no publisher for department ${mapping.department}`));
        return publisher.publish(mapping, natives, source, now, options);
      },
      async close() {
        await Promise.all([...publishers.values()].map((p) => p.publisher.close()));
      },
    } satisfies RecordPublisherPort);
  },
  { name: 'gateway-publisher', fastify: '5.x', dependencies: ['hub-kafka'] },
);
