export { type Random, between, chance, digits, mulberry32, pick, weighted } from './random.ts';
export { type County, type Place, type RegionOptions, type SimulatedRegion, type Town, type Village, randomPlace, simulatedRegion } from './places.ts';
export { type Organisation, type Person, type PersonOptions, randomOrganisation, randomPerson } from './people.ts';
export { beijingDate } from './dates.ts';
export * from './records.ts';
export {
  type BadRow,
  type CsvEncoding,
  type DropFileFormat,
  type DropFileOptions,
  type SimulatedFileOptions,
  csvField,
  csvLine,
  writeDropFile,
  writeSimulatedFile,
} from './files.ts';
export * from './department-system.ts';
export { type Principal, type SimulatorsConfig, configSchema, gatewayTokens, loadSimulatorsConfig, perDepartment, simulatedDepartments } from './config.ts';
export * from './cases/index.ts';
export * from './exchange/index.ts';
export * from './history/index.ts';
export { type SimulatorsAppOptions, buildSimulatorsApp, simulatorsApp } from './app.ts';
