import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A module of kafkajs freshly loaded from its file, as kafkajs wrote it, whatever the module cache holds (and leaving the cache as it was). */
export function loadPristine<T>(path: string): T {
  const resolved = require.resolve(path);
  const held = require.cache[resolved];
  delete require.cache[resolved];
  const loaded = require(resolved) as T;
  if (held) require.cache[resolved] = held;
  else delete require.cache[resolved];
  return loaded;
}

/** The seven CloudEvents headers of a hub record, as a connector sends them. */
export const hubRecordHeaders = {
  ce_specversion: '1.0',
  ce_id: '0b9c2c35-5a4a-5b53-9b1f-2f4c3c1c8e11',
  ce_type: 'gov.hub.ps.ResidentIdentity',
  ce_source: '/departments/ps/file',
  ce_time: '2025-01-06T02:11:00.000Z',
  'content-type': 'application/avro',
  ce_subject: '450102198503121233',
};
