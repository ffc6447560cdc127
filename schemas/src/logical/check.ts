import type { Type } from 'avsc';

/** The hook avsc's `_check` is given by `isValid({errorHook})`: told of the value that does not fit. */
export type CheckHook = (value: unknown, type: Type) => void;

/**
 * The answer of a hub logical type's `_check`, told to avsc's hook when false.
 *
 * avsc's own `LogicalType._check` calls `_toValue` and catches what it
 * throws; a throw builds an Error with its stack (about 50 µs), and a union
 * with a logical branch (`["null", timestamp-millis]`) checks that branch for
 * every value it writes, every null included. So each hub type says whether a
 * value fits without throwing, and throws (with its message) only when one
 * that does not fit is written.
 */
export function checked(type: Type, fits: boolean, value: unknown, hook: CheckHook | undefined): boolean {
  if (!fits && hook) hook(value, type);
  return fits;
}

/** Whether `convert` takes the value (for the rare value that passes a type's quick test but not its conversion). */
export function converts(convert: () => unknown): boolean {
  try {
    convert();
    return true;
  } catch {
    return false;
  }
}
