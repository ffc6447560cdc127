import { parentPort, workerData } from 'node:worker_threads';
import { wireEncoder, type AvroType } from '@hub/runtime';
import { avroType, eventType, type EventName } from '@hub/schemas';
import { isDepartmentConnector, type ResourceMapping } from '../mapping.ts';
import { prepareChunk } from './prepare.ts';
import type { PrepareReply, PrepareRequest, WorkerReady } from './prepare-pool.ts';

/**
 * The prepare worker thread: imports the department connector modules it is
 * given, then maps, gives ids and Avro-encodes the chunks the publishers send
 * it (`prepareChunk`, the same code the publisher runs in its own thread).
 * Values go back packed in one transferred buffer.
 */
const port = parentPort!;
const { modules } = workerData as { modules: string[] };

const mappings = new Map<string, ResourceMapping>();
for (const specifier of modules) {
  try {
    const module = (await import(specifier)) as Record<string, unknown>;
    for (const value of Object.values(module)) {
      if (!isDepartmentConnector(value)) continue;
      // The first mapping of a resource is kept, as the connector host does.
      for (const mapping of value.resources) if (!mappings.has(`${mapping.department}/${mapping.resource}`)) mappings.set(`${mapping.department}/${mapping.resource}`, mapping);
    }
  } catch {
    // A module this thread cannot load: its resources are prepared by the publisher's own thread.
  }
}

port.postMessage({ ready: true } satisfies WorkerReady);

const encoders = new Map<string, (value: unknown) => Buffer>();
function encoderOf(name: EventName, schemaId: number): (value: unknown) => Buffer {
  let encoder = encoders.get(`${name}#${schemaId}`);
  if (!encoder) {
    encoder = wireEncoder(avroType(name) as unknown as AvroType, schemaId);
    encoders.set(`${name}#${schemaId}`, encoder);
  }
  return encoder;
}

port.on('message', (request: PrepareRequest) => {
  let reply: PrepareReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const mapping = mappings.get(`${request.department}/${request.resource}`);
    if (!mapping || mapping.eventType !== request.eventType || mapping.nativeColumns.join(',') !== request.columns) {
      reply = { id: request.id, missing: true };
    } else {
      const prepared = prepareChunk(
        { mapping, natives: request.natives, now: request.now, limits: request.limits, ...(request.readErrors ? { readErrors: new Map(request.readErrors) } : {}) },
        encoderOf(request.eventType as EventName, request.schemaId),
        eventType(request.eventType as EventName).fullName,
      );
      const lengths = new Int32Array(prepared.records.length);
      let total = 0;
      prepared.records.forEach((record, i) => {
        lengths[i] = record.value ? record.value.length : -1;
        total += record.value?.length ?? 0;
      });
      const values = new Uint8Array(total);
      let at = 0;
      for (const record of prepared.records) {
        if (!record.value) continue;
        values.set(record.value, at);
        at += record.value.length;
      }
      transfer.push(values.buffer, lengths.buffer);
      reply = {
        id: request.id,
        records: prepared.records.map(({ value: _value, ...record }) => record),
        rejections: prepared.rejections,
        values: values.buffer,
        lengths,
      };
    }
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply, transfer);
});
