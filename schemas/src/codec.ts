import type { EventName, EventTypeMap } from '../generated/types.ts';
import { avroType } from './load.ts';

/** Avro binary of an event (no wire-format header; the registry client adds it). */
export function encodeEvent<N extends EventName>(name: N, value: EventTypeMap[N]): Buffer {
  return avroType(name).toBuffer(value);
}

export function decodeEvent<N extends EventName>(name: N, avroBinary: Buffer): EventTypeMap[N] {
  return avroType(name).fromBuffer(avroBinary) as EventTypeMap[N];
}
