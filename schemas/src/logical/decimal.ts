import avro from 'avsc';
import type { Type } from 'avsc';
import { checked, converts, type CheckHook } from './check.ts';

/** Whatever avsc passes to a logical type's constructor and `_export`. */
type LogicalSchema = ConstructorParameters<typeof avro.types.LogicalType>[0];

/** Attributes of `{"type":"bytes","logicalType":"decimal","precision":..,"scale":..}`. */
interface DecimalAttributes {
  precision?: unknown;
  scale?: unknown;
}

const DECIMAL_TEXT = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Avro `decimal` (金额, 面积) whose JS value is the exact decimal text, e.g. "1234.50".
 *
 * Strings, not numbers: a double cannot hold 0.1 or a 19-digit capital exactly.
 * Encoding accepts up to `scale` fraction digits and pads; more digits would need
 * rounding, so they are rejected (as Java's Avro does). Decoding always yields
 * exactly `scale` fraction digits, so "1234.5" comes back as "1234.50".
 */
export class DecimalType extends avro.types.LogicalType {
  readonly precision: number;
  readonly scale: number;

  constructor(schema: LogicalSchema, opts?: unknown) {
    super(schema, opts);
    const { precision, scale = 0 } = schema as DecimalAttributes;
    if (!Number.isInteger(precision) || (precision as number) < 1) {
      throw new Error(`decimal: precision must be a positive integer, got ${JSON.stringify(precision)}`);
    }
    if (!Number.isInteger(scale) || (scale as number) < 0 || (scale as number) > (precision as number)) {
      throw new Error(`decimal: scale must be an integer in 0..precision, got ${JSON.stringify(scale)}`);
    }
    this.precision = precision as number;
    this.scale = scale as number;
    const underlying = this.underlyingType.typeName;
    if (underlying !== 'bytes' && underlying !== 'fixed') {
      throw new Error(`decimal: underlying type must be bytes or fixed, got ${underlying}`);
    }
  }

  protected override _fromValue(buf: Buffer): string {
    return formatUnscaled(fromTwosComplement(buf), this.scale);
  }

  protected _check(value: unknown, _flags: unknown, hook?: CheckHook): boolean {
    return checked(this, typeof value === 'string' && DECIMAL_TEXT.test(value) && converts(() => this._toValue(value)), value, hook);
  }

  protected override _toValue(value: unknown): Buffer {
    const unscaled = parseUnscaled(value, this.precision, this.scale);
    const size = fixedSize(this.underlyingType);
    return toTwosComplement(unscaled, size);
  }

  protected override _resolve(writer: Type): ((value: string) => string) | undefined {
    // Avro resolves decimals only when the scales match; a wider reader precision is safe.
    if (writer instanceof DecimalType && writer.scale === this.scale && writer.precision <= this.precision) {
      return (value) => value;
    }
    return undefined;
  }

  protected override _export(schema: LogicalSchema): void {
    Object.assign(schema as object, { precision: this.precision, scale: this.scale });
  }
}

/** Unscaled integer of a decimal text at `scale`, checked against `precision`. */
export function parseUnscaled(value: unknown, precision: number, scale: number): bigint {
  if (typeof value !== 'string') {
    throw new TypeError(`decimal(${precision},${scale}): expected the exact value as a string such as "1234.50", got ${typeof value}`);
  }
  const match = DECIMAL_TEXT.exec(value);
  if (!match) {
    throw new TypeError(`decimal(${precision},${scale}): ${JSON.stringify(value)} is not a plain decimal number`);
  }
  const [, minus, whole = '', fraction = ''] = match;
  if (fraction.length > scale) {
    throw new RangeError(
      `decimal(${precision},${scale}): ${JSON.stringify(value)} has ${fraction.length} fraction digits, more than the scale ${scale}`,
    );
  }
  const magnitude = BigInt(whole + fraction.padEnd(scale, '0'));
  if (magnitude !== 0n && magnitude.toString().length > precision) {
    throw new RangeError(`decimal(${precision},${scale}): ${JSON.stringify(value)} has more than ${precision} significant digits`);
  }
  return minus ? -magnitude : magnitude;
}

/** Decimal text of an unscaled integer: always exactly `scale` fraction digits. */
export function formatUnscaled(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const text = scale === 0 ? whole : `${whole}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

/** Big-endian two's complement, minimal length (or sign-extended to `size` for fixed). */
export function toTwosComplement(value: bigint, size?: number): Buffer {
  const littleEndian: number[] = [];
  let rest = value;
  for (;;) {
    const byte = Number(rest & 0xffn);
    littleEndian.push(byte);
    rest >>= 8n;
    const signBitSet = (byte & 0x80) !== 0;
    if ((rest === 0n && !signBitSet) || (rest === -1n && signBitSet)) break;
  }
  if (size !== undefined) {
    if (littleEndian.length > size) throw new RangeError(`decimal: ${value} does not fit in ${size} bytes`);
    const fill = value < 0n ? 0xff : 0x00;
    while (littleEndian.length < size) littleEndian.push(fill);
  }
  return Buffer.from(littleEndian.reverse());
}

export function fromTwosComplement(buf: Uint8Array): bigint {
  let value = 0n;
  for (const byte of buf) value = (value << 8n) | BigInt(byte);
  const first = buf[0];
  if (first !== undefined && (first & 0x80) !== 0) value -= 1n << BigInt(buf.length * 8);
  return value;
}

function fixedSize(type: Type): number | undefined {
  return type.typeName === 'fixed' ? (type as InstanceType<typeof avro.types.FixedType>).size : undefined;
}
