import '../avro-strings.ts'; // before any type writes: see there
import { DateType } from './date.ts';
import { DecimalType } from './decimal.ts';
import { TimestampMillisType } from './timestamp-millis.ts';

export { DateType, DecimalType, TimestampMillisType };

/** The hub's logical types, for `Type.forSchema(schema, { logicalTypes })`. */
export const logicalTypes = {
  'timestamp-millis': TimestampMillisType,
  date: DateType,
  decimal: DecimalType,
} as const;
