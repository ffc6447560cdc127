import { type CheckResult, fail, ok, quote } from '../check-result.ts';

/**
 * A national code table and the text departments send for it. A value is read
 * as the code itself, the standard's name, or one of the aliases departments
 * are known to write; nothing else is guessed at.
 */
export interface CodeTableSpec<C extends string> {
  /** What the code is about, for reasons: "ethnicity". */
  readonly subject: string;
  /** "GB 3304-1991" */
  readonly standard: string;
  readonly entries: readonly (readonly [C, string])[];
  readonly aliases?: readonly (readonly [string, C])[];
  /** Left-pad all-digit input to this width before looking it up ("1" → "01"). */
  readonly padDigitsTo?: number;
}

export interface CodeTable<C extends string> {
  readonly names: ReadonlyMap<C, string>;
  normalise(text: string): CheckResult<C>;
}

export function createCodeTable<C extends string>(spec: CodeTableSpec<C>): CodeTable<C> {
  const names = new Map<C, string>(spec.entries);
  const index = new Map<string, C>();
  for (const [code, name] of spec.entries) {
    index.set(code, code);
    index.set(name.toUpperCase(), code);
  }
  for (const [alias, code] of spec.aliases ?? []) {
    if (!names.has(code)) throw new Error(`alias ${alias} points at ${code}, which is not in ${spec.standard}`);
    index.set(alias.toUpperCase(), code);
  }
  return {
    names,
    normalise(text) {
      const trimmed = text.trim();
      if (trimmed.length === 0) return fail(`${spec.subject} is empty`);
      const key =
        spec.padDigitsTo !== undefined && /^\d+$/.test(trimmed) ? trimmed.padStart(spec.padDigitsTo, '0') : trimmed;
      const code = index.get(key.toUpperCase());
      if (code === undefined) return fail(`${quote(trimmed)} is not a ${spec.standard} ${spec.subject} code or name`);
      return ok(code);
    },
  };
}
