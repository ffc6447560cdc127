// Build step: writes generated/types.ts from the .avsc files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { renderTypes } from './codegen.ts';
import { generatedTypesFile, readSchemaSources } from './sources.ts';

const sources = readSchemaSources();
mkdirSync(new URL('.', generatedTypesFile), { recursive: true });
writeFileSync(generatedTypesFile, renderTypes(sources));
process.stdout.write(`generated/types.ts: ${sources.length} event types\n`);
