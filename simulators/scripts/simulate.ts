/**
 * History mode: backfills months of cases into the hub at full speed, every
 * step with its own time, day by day, and writes the ground truth of what it
 * sent. Run from the repository root:
 *
 *   npm run simulate -- --from 2026-01-05 --to 2026-11-30 --seed 7
 *
 * See simulators/README.md ("History mode") for the options and the truth file.
 */
import { setMaxListeners } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isLocalDate, loadCalendar } from '@hub/calendar';
import { ConfigError } from '@hub/runtime';
import { type CatalogueItem, readCatalogue } from '../src/cases/catalogue.ts';
import { GatewayClient } from '../src/cases/gateway-client.ts';
import { gatewayTokens, loadSimulatorsConfig } from '../src/config.ts';
import { type HistoryProfileName, historyProfiles, planHistory } from '../src/history/plan.ts';
import { ProgressBar } from '../src/history/progress.ts';
import { sendHistory } from '../src/history/sender.ts';
import { type Figures, type GroundTruth, groundTruth, truthFileText } from '../src/history/truth.ts';

const USAGE = `usage: npm run simulate -- --from YYYY-MM-DD --to YYYY-MM-DD [options]

  --from, --to        the period, Asia/Shanghai dates (both included)
  --seed N            seed of the plan (default 1): the same seed, period and items give the same cases
  --per-day N         cases submitted on each working day (default 40)
  --profile NAME      how the cases go: guangxi (default; tuned to the Guangxi region's report:
                      on-time 99.7%, speed-up 82.8%, satisfaction 99.9%) or varied (every kind
                      of case in good measure: late, suspended and refused ones)
  --gateway URL       the gateway (default GATEWAY_URL, else http://127.0.0.1:8080)
  --concurrency N     requests in flight at most, within one day (default 32)
  --truth FILE        where the ground truth goes (default .hub/simulate/truth-<seed>-<from>-<to>.json)
  --items FILE        the items as GET /v1/items answers them, instead of asking the gateway
  --calendar FILE     the region's calendar file (default HUB_CALENDAR_FILE, else the official calendar)
  --dry-run           plan and write the truth as if every step were answered; send nothing
  -h, --help          this text

Bearer tokens come from SIMULATORS_TOKENS (default dev-<dept>-token, window=dev-window-token).
Exit status: 0 all sent, 1 some steps failed (the truth says which), 2 bad arguments or no gateway, 130 interrupted.`;

/** Attempts of one step while the gateway answers 5xx or is unreachable (backoff 0.5 s doubling to 30 s: about eight minutes). */
const MAX_ATTEMPTS = 20;

function stop(message: string): never {
  process.stderr.write(`simulate: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function wholeNumber(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) stop(`--${name} is a whole number ≥ ${min}, got ${value}`);
  return number;
}

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  seed: { type: 'string' },
  'per-day': { type: 'string' },
  profile: { type: 'string' },
  gateway: { type: 'string' },
  concurrency: { type: 'string' },
  truth: { type: 'string' },
  items: { type: 'string' },
  calendar: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function readArgs() {
  try {
    return parseArgs({ options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return stop((error as Error).message);
  }
}

const args = readArgs();
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const { from, to } = args;
if (!isLocalDate(from) || !isLocalDate(to)) stop('--from and --to are dates as YYYY-MM-DD');
if (from > to) stop(`--from ${from} is after --to ${to}`);
const seed = wholeNumber(args.seed, 'seed', 1, 0);
const perDay = wholeNumber(args['per-day'], 'per-day', 40, 0);
const concurrency = wholeNumber(args.concurrency, 'concurrency', 32, 1);
const profileName = args.profile ?? 'guangxi';
if (!Object.hasOwn(historyProfiles, profileName)) stop(`--profile is one of ${Object.keys(historyProfiles).join(', ')}, got ${profileName}`);
const profile = historyProfiles[profileName as HistoryProfileName];

function readConfig() {
  try {
    return loadSimulatorsConfig({ ...process.env, ...(args.gateway ? { GATEWAY_URL: args.gateway } : {}) });
  } catch (error) {
    if (error instanceof ConfigError) stop(error.message);
    throw error;
  }
}

const config = readConfig();
// npm runs the script in simulators/; paths on the command line are the caller's.
const base = process.env.INIT_CWD ?? process.cwd();
const path = (file: string) => (isAbsolute(file) ? file : resolve(base, file));
const truthFile = path(args.truth ?? `.hub/simulate/truth-${seed}-${from}-${to}.json`);
const calendarFile = args.calendar ?? process.env.HUB_CALENDAR_FILE;
const calendar = loadCalendar({ file: calendarFile ? path(calendarFile) : undefined });

/** Retries are shown by the progress bar's pace; the refusals are listed at the end from the truth. */
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const client = new GatewayClient({ gatewayUrl: config.GATEWAY_URL, tokens: gatewayTokens(config), logger: quiet, maxAttempts: MAX_ATTEMPTS });
const interrupt = new AbortController();
// Each request in flight, and each backoff, listens to it.
setMaxListeners(2 * concurrency + 16, interrupt.signal);
process.once('SIGINT', () => interrupt.abort());

async function catalogue(): Promise<CatalogueItem[]> {
  let body: unknown;
  let source: string;
  if (args.items) {
    source = path(args.items);
    body = JSON.parse(readFileSync(source, 'utf8'));
  } else {
    source = `${config.GATEWAY_URL}/v1/items`;
    const items = new GatewayClient({ gatewayUrl: config.GATEWAY_URL, tokens: gatewayTokens(config), logger: quiet, maxAttempts: 8, backoff: { initialMs: 500, maxMs: 5_000 } });
    const reply = await items.send({ method: 'GET', path: '/v1/items', as: 'window' }, interrupt.signal);
    if (reply.kind === 'stopped') process.exit(130);
    if (reply.kind === 'gave-up') stop(`the gateway at ${config.GATEWAY_URL} does not answer (${reply.problem}); start the hub (npm start) or pass --items`);
    if (reply.kind === 'refused') stop(`GET /v1/items answered ${reply.status}: ${reply.detail}`);
    body = reply.body;
  }
  const { items, skipped } = readCatalogue(body);
  if (skipped > 0) process.stderr.write(`simulate: ${skipped} item(s) of ${source} could not be read and are left out\n`);
  if (items.length === 0) stop(`no items in ${source}`);
  return items;
}

const items = await catalogue();
const uncovered = [from, to].filter((day) => !calendar.covers(day));
if (uncovered.length > 0) process.stderr.write(`simulate: the calendar has no data for ${uncovered.join(', ')}: those years count Monday to Friday (provisional)\n`);
const plan = planHistory({ from, to, seed, perDay, items, calendar, profile });
const steps = plan.cases.reduce((sum, c) => sum + c.steps.length, 0);
process.stderr.write(`simulate: ${plan.cases.length} cases, ${steps} steps over ${plan.workingDays.length} working days (seed ${seed}, profile ${profileName}, ${items.length} items)${args['dry-run'] ? ', dry run' : ` → ${config.GATEWAY_URL}`}\n`);

let truth: GroundTruth;
let stopped = false;
if (args['dry-run']) {
  truth = groundTruth(plan, calendar);
} else {
  const bar = new ProgressBar(process.stderr);
  const result = await sendHistory(plan, { gateway: client, concurrency, signal: interrupt.signal, onProgress: (p) => bar.update(p) });
  bar.finish(result.progress);
  stopped = result.stopped;
  truth = groundTruth(plan, calendar, result.outcomes);
}

mkdirSync(dirname(truthFile), { recursive: true });
writeFileSync(truthFile, truthFileText(truth));
process.stdout.write(summary(truth));
process.stdout.write(`ground truth: ${truthFile}\n`);
if (stopped) {
  process.stderr.write('simulate: interrupted; the truth covers what was sent\n');
  process.exit(130);
}
process.exit(truth.sent.failures > 0 ? 1 : 0);

/** `text` padded to `width` terminal columns: CJK characters take two. */
function padEnd(text: string, width: number): string {
  const columns = [...text].reduce((sum, c) => sum + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(c) ? 2 : 1), 0);
  return text + ' '.repeat(Math.max(0, width - columns));
}

function summary(t: GroundTruth): string {
  const pct = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
  const row = (name: string, f: Figures) =>
    `${padEnd(name, 34)} ${String(f.submitted).padStart(7)} ${String(f.accepted).padStart(7)} ${String(f.completed).padStart(7)} ${String(f.inProgress).padStart(6)}` +
    ` ${pct(f.onTimeRate).padStart(7)} ${pct(f.handlingSpeedUp).padStart(7)} ${pct(f.promisedSpeedUp).padStart(7)} ${pct(f.sameDayRate).padStart(7)} ${pct(f.satisfaction).padStart(7)}`;
  const lines = [
    '',
    `${t.from} … ${t.to}, seed ${t.seed}: ${t.sent.cases} cases, ${t.sent.stepsAnswered}/${t.sent.steps} steps answered, ${t.sent.failures} failed`,
    '',
    `${''.padEnd(34)} ${'submit'.padStart(7)} ${'accept'.padStart(7)} ${'done'.padStart(7)} ${'open'.padStart(6)} ${'ontime'.padStart(7)} ${'speedup'.padStart(7)} ${'promise'.padStart(7)} ${'sameday'.padStart(7)} ${'satisf'.padStart(7)}`,
    row('overall', t.overall),
    ...Object.entries(t.byLeadDepartment).map(([lead, f]) => row(`  lead ${lead}`, f)),
    ...Object.values(t.byItem).map((f) => row(`  ${f.name}`, f)),
    '',
    `${'co-approver'.padEnd(12)} ${'tasks'.padStart(6)} ${'answered'.padStart(8)} ${'overdue'.padStart(8)} ${'median'.padStart(7)} ${'p95'.padStart(5)}`,
    ...Object.entries(t.coApprovers).map(
      ([d, f]) => `${d.padEnd(12)} ${String(f.tasks).padStart(6)} ${String(f.answered).padStart(8)} ${String(f.overdue).padStart(8)} ${String(f.medianWorkingDays ?? '—').padStart(7)} ${String(f.p95WorkingDays ?? '—').padStart(5)}`,
    ),
  ];
  const failed = t.cases.filter((c) => c.failure);
  if (failed.length > 0) {
    lines.push('', `failures (${failed.length}${failed.length > 10 ? ', the first 10' : ''}):`);
    for (const c of failed.slice(0, 10)) lines.push(`  ${c.key} ${c.caseId ?? '(not submitted)'} ${c.failure?.step} ${c.failure?.status ?? 'no answer'}: ${c.failure?.detail}`);
  }
  return `${lines.join('\n')}\n\n`;
}
