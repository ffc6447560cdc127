/**
 * Test support other packages may use (`@hub/connector-core/testing`): a small
 * resident mapping with generated good and bad rows, drop-file writers, and a
 * read_committed topic reader. Nothing here needs vitest, so a child process
 * (the connector host under test) can load the mapping too.
 */
export { residentConnector, residentMapping, residentColumns, residentRows, type ExpectedRejection } from './resident-mapping.ts';
export { dropFile, csvText, type Format } from './files.ts';
export { readCommitted, tally, type ReadMessage } from './kafka.ts';
