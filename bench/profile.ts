// Where a V8 CPU profile (`node --cpu-prof`, e.g. the ingest bench's BENCH_CPU_PROFILE) spent its
// time: by stage of the ingest path, and the functions with the most self time.
//   npm run bench:profile -- <file.cpuprofile> [--records N] [--flame out.svg]
// With --records, each stage's share is also given in µs of CPU per record; with --flame, a flame
// graph (SVG, one box per call path, width = time) is written too; with --stage S, the functions
// listed are those of that stage only.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Stages of the ingest path by the source of a frame; a sample counts for the innermost frame that matches one (first rule wins). */
const STAGES: ReadonlyArray<[stage: string, test: RegExp]> = [
  ['csv parse', /node_modules\/(csv-parse|udsv)\/|drop-folder\/(readers|csv)/],
  ['avro encode', /node_modules\/avsc\/|runtime\/src\/serde|schemas\/src/],
  ['cloudevents headers', /cloudevents\.ts/],
  ['event id (sha-256 + uuid v5)', /event-id\.ts|node_modules\/uuid\//],
  ['ledger (sqlite)', /ledger\//],
  ['kafka client', /node_modules\/kafkajs\/|runtime\/src\/kafka\//],
  ['map + validate', /connectors\/(ps|tax|land|market|civil|hrss|housing)\/|packages\/identifiers\/|native-fields|mapping\.ts|limits\/|publish\/plan\.ts/],
  ['publisher', /publish\//],
  ['http (fastify, json)', /node_modules\/(fastify|find-my-way|light-my-request|avvio|fast-json-stringify|secure-json-parse)\/|services\/gateway\//],
  ['drop folder', /sources\/drop-folder\//],
];

export function summarise(profile: CpuProfile, onlyStage?: string): { total: number; stages: Map<string, number>; self: Map<string, number>; stacks: Map<string, number> } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stageOf = new Map<number, string>();
  const stackOf = new Map<number, string>();
  const label = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, '').replace(/^.*?\/(node_modules\/|packages\/|connectors\/|services\/|bench\/)/, '$1');
    return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
  };
  const resolve = (id: number): string => {
    const known = stageOf.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    let stage: string | undefined;
    if (name === '(garbage collector)') stage = 'garbage collection';
    else if (name === '(idle)') stage = 'idle';
    else if (name === '(program)') stage = 'V8 and Node internals';
    else if (node.callFrame.url) stage = STAGES.find(([, test]) => test.test(node.callFrame.url))?.[0];
    const up = parent.get(id);
    stage ??= up === undefined ? 'other' : resolve(up);
    stageOf.set(id, stage);
    return stage;
  };
  const stack = (id: number): string => {
    const known = stackOf.get(id);
    if (known !== undefined) return known;
    const up = parent.get(id);
    const node = byId.get(id)!;
    const name = label(node).replaceAll(';', ',');
    const above = up === undefined ? undefined : stack(up);
    const here = up === undefined ? '' : above ? `${above};${name}` : name; // the root frame itself is left out
    stackOf.set(id, here);
    return here;
  };
  const stages = new Map<string, number>();
  const self = new Map<string, number>();
  const stacks = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    const stage = resolve(id);
    if (stage === 'idle') return;
    total += micros;
    stages.set(stage, (stages.get(stage) ?? 0) + micros);
    if (onlyStage !== undefined && stage !== onlyStage) return;
    const name = label(byId.get(id)!);
    self.set(name, (self.get(name) ?? 0) + micros);
    const path = stack(id);
    if (path) stacks.set(path, (stacks.get(path) ?? 0) + micros);
  });
  return { total, stages, self, stacks };
}

/** A flame graph of collapsed stacks (`a;b;c` → µs), root at the bottom, as a self-contained SVG. */
export function flameGraph(stacks: ReadonlyMap<string, number>, title: string): string {
  interface Frame { name: string; value: number; children: Map<string, Frame> }
  const root: Frame = { name: 'all', value: 0, children: new Map() };
  for (const [path, value] of stacks) {
    root.value += value;
    let at = root;
    for (const name of path.split(';')) {
      let next = at.children.get(name);
      if (!next) at.children.set(name, next = { name, value: 0, children: new Map() });
      next.value += value;
      at = next;
    }
  }
  const width = 1200;
  const row = 16;
  const boxes: string[] = [];
  let depth = 0;
  const walk = (frame: Frame, x: number, level: number) => {
    const w = (frame.value / root.value) * width;
    if (w < 0.3) return;
    depth = Math.max(depth, level);
    boxes.push(`${x.toFixed(1)}|${level}|${w.toFixed(1)}|${frame.name}|${((100 * frame.value) / root.value).toFixed(1)}`);
    let childX = x;
    for (const child of [...frame.children.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      walk(child, childX, level + 1);
      childX += (child.value / root.value) * width;
    }
  };
  walk(root, 0, 0);
  const height = (depth + 1) * row + 30;
  const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  const hue = (name: string) => [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
  const rects = boxes.map((box) => {
    const [x, level, w, name, share] = box.split('|') as [string, string, string, string, string];
    const y = height - (Number(level) + 1) * row;
    const text = Number(w) > 40 ? `<text x="${Number(x) + 3}" y="${y + 12}">${escape(name.slice(0, Math.floor(Number(w) / 6.5)))}</text>` : '';
    return `<g><title>${escape(name)} (${share}%)</title><rect x="${x}" y="${y}" width="${w}" height="${row - 1}" fill="hsl(${20 + (hue(name) % 40)},80%,${55 + (hue(name) % 20)}%)"/>${text}</g>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="monospace" font-size="11">`
    + `<rect width="100%" height="100%" fill="#fff"/><text x="4" y="16" font-size="13">${escape(title)}</text>${rects.join('')}</svg>\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { records: { type: 'string' }, flame: { type: 'string' }, top: { type: 'string', default: '25' }, stage: { type: 'string' } } });
  const file = positionals[0];
  if (!file) {
    console.error('usage: npm run bench:profile -- <file.cpuprofile> [--records N] [--flame out.svg]');
    process.exit(2);
  }
  const { total, stages, self, stacks } = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, values.stage);
  const records = values.records === undefined ? undefined : Number(values.records);
  console.log(`CPU time (not idle): ${(total / 1e6).toFixed(2)} s${records ? ` for ${records.toLocaleString()} records, ${(total / records).toFixed(1)} µs a record` : ''}`);
  console.log('\n| stage | share | µs per record |\n| --- | ---: | ---: |');
  for (const [stage, micros] of [...stages].sort((a, b) => b[1] - a[1])) {
    console.log(`| ${stage} | ${((100 * micros) / total).toFixed(1)} % | ${records ? (micros / records).toFixed(1) : '—'} |`);
  }
  console.log(`\nfunctions by self time (top ${values.top}${values.stage ? ` of ${values.stage}` : ''}):`);
  for (const [name, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
    console.log(`${((100 * micros) / total).toFixed(1).padStart(5)} %  ${name}`);
  }
  if (values.flame) {
    writeFileSync(values.flame, flameGraph(stacks, `${file.split('/').pop()}: ${(total / 1e6).toFixed(1)} s of CPU`));
    console.log(`\nflame graph: ${values.flame}`);
  }
}
