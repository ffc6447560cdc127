export type { CheckResult, Random } from './check-result.ts';
export { mulberry32 } from './seeded-random.ts';

export {
  type ResidentId,
  type ResidentIdCheckOptions,
  checkResidentId,
  convertLegacyResidentId,
  residentIdCheckCharacter,
} from './resident-id/resident-id.ts';
export {
  type RandomResidentIdOptions,
  type ResidentIdSpec,
  generateResidentId,
  randomResidentId,
} from './resident-id/generate-resident-id.ts';

export {
  CREDIT_CODE_ALPHABET,
  type CreditCode,
  type CreditCodeSpec,
  type RandomCreditCodeOptions,
  checkCreditCode,
  creditCodeCheckCharacter,
  generateCreditCode,
  randomCreditCode,
} from './credit-code/credit-code.ts';
export { REGISTRATION_AUTHORITIES, type RegistrationAuthority } from './credit-code/registration-authorities.ts';
export { checkOrganisationCode, organisationCodeCheckCharacter } from './organisation-code/organisation-code.ts';

export {
  type TaxpayerNumber,
  type TaxpayerNumberCheckOptions,
  type TaxpayerNumberKind,
  checkTaxpayerNumber,
} from './taxpayer-number/taxpayer-number.ts';

export {
  DIVISION_LEVELS,
  type DivisionCode,
  type DivisionLevel,
  canonicalDivisionCode,
  checkDivisionCode,
  divisionLevel,
  parentOf,
  rollsUpTo,
} from './divisions/division-code.ts';
export { type DivisionCatalogue, createDivisionCatalogue } from './divisions/division-catalogue.ts';
export { CHINA_DIVISION_DATA, chinaDivisions, preloadChinaDivisions } from './divisions/china-division-data.ts';
export { SIMULATION_PROVINCE, divisionName, isKnownDivision, sampleDivisions } from './divisions/divisions.ts';
export { PROVINCES, provinceName } from './divisions/provinces.ts';

export { SEX_CODES, type SexCode, normaliseSex } from './code-tables/sex.ts';
export { ETHNICITY_CODES, type EthnicityCode, normaliseEthnicity } from './code-tables/ethnicity.ts';
export { MARITAL_STATUS_CODES, type MaritalStatusCode, normaliseMaritalStatus } from './code-tables/marital-status.ts';
export {
  FAMILY_RELATION_CODES,
  type FamilyRelationCode,
  normaliseFamilyRelation,
} from './code-tables/family-relation.ts';

export {
  BEIJING_UTC_OFFSET,
  type DepartmentDate,
  type DepartmentDateOptions,
  calendarDateAt,
  parseDepartmentDate,
} from './dates/department-date.ts';
export { type DecimalOptions, normaliseDecimal } from './decimal/decimal-text.ts';
