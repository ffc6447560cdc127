/**
 * Reading native records field by field, shared by every department connector.
 * It lives in @hub/connector-ps for now only because connector work may not
 * touch connectors/core; its natural home is @hub/connector-core.
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
