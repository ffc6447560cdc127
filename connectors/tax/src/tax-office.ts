import { type FieldParser, codeText, divisionCode, refine } from '@hub/connector-core/native-fields';

/**
 * Tax office code (税务机关代码), 11 digits as Golden Tax III writes it: 1 (2 for
 * a former local-tax office, 地税), the office's six-digit division code, and
 * four digits of internal unit (14501020000 = the Xingning district office).
 * The value is the division code, which the canonical records carry.
 */
export const taxOfficeDivision: FieldParser<string> = refine(
  codeText(/^[12]\d{10}$/, 'an 11-digit tax office code (1 + division code + 4 digits)'),
  (code, context) => divisionCode(code.slice(1, 7), context),
);
