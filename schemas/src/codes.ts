import type { Sex } from '../generated/types.ts';

/** GB/T 2261.1 sex codes (性别代码) of the `Sex` enum symbols, for connectors that read or write the digits. */
export const sexGbCodes = {
  UNKNOWN: '0',
  MALE: '1',
  FEMALE: '2',
  UNSPECIFIED: '9',
} as const satisfies Record<Sex, string>;

export function sexFromGbCode(code: string): Sex {
  const found = (Object.keys(sexGbCodes) as Sex[]).find((sex) => sexGbCodes[sex] === code);
  if (!found) throw new RangeError(`not a GB/T 2261.1 sex code: ${JSON.stringify(code)}`);
  return found;
}
