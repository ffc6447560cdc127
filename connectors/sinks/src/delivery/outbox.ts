import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AttemptOutcome } from './outcome.ts';
import type { WebhookRequest } from './webhook.ts';

/**
 * The file names of one delivery in a department's outbox folder, for systems
 * that take files rather than webhooks: `<ce-time>-<event id>.json` (the
 * webhook's body, byte for byte) and `<same>.json.sha256` beside it (the
 * X-Hub-Signature-256 value of that body). Names sort in the time the events
 * happened, and the same delivery always gets the same name, so a redelivery
 * replaces its own file rather than adding a second.
 */
export function outboxFileName(headers: Readonly<Record<string, string>>): string {
  const eventId = headers['x-hub-event-id'];
  const time = headers['ce-time'];
  if (eventId === undefined || time === undefined) throw new Error('a delivery needs x-hub-event-id and ce-time headers');
  // Percent-encoded, so that no event id can name a path outside the folder.
  return `${time.replace(/[-:.]/g, '')}-${encodeURIComponent(eventId)}.json`;
}

/**
 * One delivery written to a department's outbox (`request.url`, a file URL): the
 * signature file, then the body, each written as `.part`, flushed to disk and
 * renamed into place, then the folder flushed, so the department never picks up
 * a half-written file and a written one survives a power cut. Never throws for
 * what the file system does (full disk, no permission): that is an outcome,
 * retried like a webhook that did not answer; only on shutdown.
 */
export async function writeToOutbox(request: WebhookRequest): Promise<{ outcome: AttemptOutcome; durationMs: number }> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    request.signal.throwIfAborted();
    const folder = fileURLToPath(request.url);
    const name = outboxFileName(request.headers);
    await mkdir(folder, { recursive: true });
    await writeDurably(join(folder, `${name}.sha256`), `${request.headers['x-hub-signature-256'] ?? ''}\n`);
    await writeDurably(join(folder, name), request.body);
    const directory = await open(folder, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
    return { outcome: { kind: 'written', path: join(folder, name) }, durationMs: elapsed() };
  } catch (error) {
    request.signal.throwIfAborted();
    const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    return { outcome: { kind: 'error', message: error instanceof Error ? error.message : String(error), ...(code === undefined ? {} : { code }) }, durationMs: elapsed() };
  }
}

async function writeDurably(path: string, content: string): Promise<void> {
  const part = `${path}.part`;
  const file = await open(part, 'w');
  try {
    await file.writeFile(content, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(part, path);
}
