/**
 * Where a JSON text nests deeper than `maxDepth` (arrays and objects), read
 * without parsing it: one pass, no recursion, strings skipped. Undefined when it
 * does not. `item` is the index of the top-level array's element that goes too
 * deep (when the text is an array), so a push's 400 names it.
 *
 * JSON.parse itself takes any depth; what comes after it (JSON.stringify of a
 * nested value, a recursive walk) overflows the stack at a few thousand levels.
 */
export function jsonTooDeep(text: string, maxDepth: number): { depth: number; offset: number; item?: number } | undefined {
  let depth = 0;
  let item = 0;
  let topIsArray = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string: up to the next quote not escaped.
      for (i += 1; i < text.length; i += 1) {
        const s = text.charCodeAt(i);
        if (s === 0x5c /* \ */) i += 1;
        else if (s === 0x22) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (depth === 0) topIsArray = c === 0x5b;
      depth += 1;
      if (depth > maxDepth) return { depth, offset: i, ...(topIsArray ? { item } : {}) };
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth -= 1;
    } else if (c === 0x2c /* , */ && depth === 1) {
      item += 1;
    }
  }
  return undefined;
}
