/**
 * Reading native records field by field, shared by every department connector
 * (`@hub/connector-core/native-fields`): `NativeFields` collects every problem of
 * a record, the parsers read identifiers, dates, amounts and code tables, and
 * the width helpers fold full-width forms.
 */
export { type Completed, type NativeColumns, NativeFields } from './native-fields.ts';
export { nativeKey, nativeText } from './native-value.ts';
export { halfWidthCode, halfWidthText } from './width.ts';
export {
  type DecimalFieldOptions,
  type FieldParser,
  type ParseContext,
  choice,
  codeTable,
  codeText,
  creditCode,
  date,
  decimal,
  divisionCode,
  integer,
  pastDate,
  personName,
  refine,
  residentId,
  taxpayerNumber,
  text,
  timestamp,
} from './parsers.ts';
