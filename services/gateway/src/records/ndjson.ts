import type { FastifyError } from 'fastify';
import { errors } from '../errors.ts';
import { jsonTooDeep } from '@hub/runtime';
import { UnreadableItem } from './batch.ts';

/**
 * Reads NDJSON (one JSON value a line; blank lines skipped, CRLF and a BOM
 * accepted). Counts the lines first so an oversized batch is refused before
 * anything is parsed; a line that is not JSON becomes an UnreadableItem (a
 * rejected record), not a failed request.
 */
export function parseNdjson(text: string, maxRecords: number, maxDepth = 32): { ok: true; items: unknown[] } | { ok: false; error: FastifyError } {
  const lines = text.replace(/^\uFEFF/, '').split('\n')
    .map((line, i) => ({ line: line.replace(/\r$/, ''), number: i + 1 }))
    .filter(({ line }) => line.trim() !== '');
  if (lines.length > maxRecords) return { ok: false, error: new errors.BATCH_TOO_LARGE(maxRecords, lines.length) };
  const items = lines.map(({ line, number }) => {
    // One line too deep is one rejected record, as in a dropped JSON Lines file.
    if (jsonTooDeep(line, maxDepth)) return new UnreadableItem(line, `line ${number} nests deeper than ${maxDepth} levels (GATEWAY_MAX_JSON_DEPTH)`);
    try {
      const value: unknown = JSON.parse(line);
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : new UnreadableItem(line, `line ${number} is not a JSON object`);
    } catch (error) {
      return new UnreadableItem(line, `line ${number} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return { ok: true, items };
}
