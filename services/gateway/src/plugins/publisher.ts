import fp from 'fastify-plugin';
import { createRecordPublisher, ledgerPath, openLedger, prepareWorkerPays, type ConnectorLedger, type RecordPublisher } from '@hub/connector-core';
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
    const prepareWorker = connectorModules && prepareWorkerPays() ? { prepareWorker: { modules: connectorModules } } : {};
    const departments = [...new Set(directory.list().map((r) => r.department))];
    const instanceId = config.GATEWAY_INSTANCE_ID;
    const ledgers: ConnectorLedger[] = [];
    const publishers = new Map<string, RecordPublisher>();
    app.addHook('onClose', async () => {
      await Promise.all([...publishers.values()].map((p) => p.close()));
      await Promise.all(ledgers.map((l) => l.close()));
    });
    await Promise.all(departments.map(async (department) => {
      const ledger = openLedger({ kafka: app.kafka, logger, connector: department, instanceId, path: ledgerPath(config.HUB_DATA_DIR, department, instanceId) });
      ledgers.push(ledger);
      publishers.set(department, await createRecordPublisher({ kafka: app.kafka, serde: app.serde, ledger, logger, connector: department, instanceId, ...prepareWorker }));
    }));
    app.healthChecks.set('publishers', () => {
      const unhealthy = [...publishers.values()].filter((p) => !p.healthy).map((p) => p.connector);
      if (unhealthy.length > 0) throw new Error(`publisher not ready (ledger catching up, or fenced): ${unhealthy.join(', ')}`);
    });
    app.decorate('recordPublisher', {
      publish(mapping, natives, source, now, options) {
        const publisher = publishers.get(mapping.department);
        if (!publisher) return Promise.reject(new Error(`no publisher for department ${mapping.department}`));
        return publisher.publish(mapping, natives, source, now, options);
      },
      async close() {
        await Promise.all([...publishers.values()].map((p) => p.close()));
      },
    } satisfies RecordPublisherPort);
  },
  { name: 'gateway-publisher', fastify: '5.x', dependencies: ['gateway-kafka'] },
);
