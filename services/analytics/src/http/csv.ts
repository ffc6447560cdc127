import type { FastifyReply, FastifyRequest } from 'fastify';

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; null is empty. */
export function csvText(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const field = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns.join(','), ...rows.map((row) => columns.map((c) => field(row[c])).join(','))].join('\r\n') + '\r\n';
}

export function wantsCsv(request: FastifyRequest): boolean {
  return /\btext\/csv\b/i.test(request.headers.accept ?? '');
}

/** `{ rows }` as JSON, or as CSV when the client asks for it; the columns are the group's keys, then the figures. */
export function sendRows<Row extends object>(request: FastifyRequest, reply: FastifyReply, columns: readonly string[], rows: Row[]) {
  if (wantsCsv(request)) return reply.type('text/csv; charset=utf-8').send(csvText(columns, rows as Record<string, unknown>[]));
  return reply.send({ rows });
}
