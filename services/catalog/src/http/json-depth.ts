/**
 * The deepest a request body may nest (arrays and objects). A schema travels
 * as a string inside the body, so this bounds only `metadata`, `references`
 * and `ruleSet`: JSON.parse takes any depth, but the canonical form and the
 * identity of a version (`stableStringify`) recurse, and a body 5,000 deep
 * overflowed the stack: a 500 (found by fuzzing, test/fuzz).
 */
export const MAX_BODY_DEPTH = 64;

/** The offset where `text` first nests deeper than `maxDepth`, read without parsing it (strings skipped); undefined when it does not. */
export function tooDeepAt(text: string, maxDepth: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i += 1; i < text.length; i += 1) {
        const s = text.charCodeAt(i);
        if (s === 0x5c /* \ */) i += 1;
        else if (s === 0x22) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth += 1;
      if (depth > maxDepth) return i;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth -= 1;
    }
  }
  return undefined;
}
