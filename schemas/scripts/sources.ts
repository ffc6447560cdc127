import { readdirSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAvroType, packageRoot } from '../src/load.ts';
import type { SchemaSource } from './codegen.ts';

/** Every .avsc under avro/, parsed with the hub's logical types, in path order. */
export function readSchemaSources(): SchemaSource[] {
  const avroDir = fileURLToPath(new URL('avro/', packageRoot));
  const root = fileURLToPath(packageRoot);
  return readdirSync(avroDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.avsc'))
    .map((file) => `${avroDir}${file}`)
    .sort()
    .map((path) => ({ file: relative(root, path), type: createAvroType(JSON.parse(readFileSync(path, 'utf8'))) }));
}

export const generatedTypesFile = new URL('generated/types.ts', packageRoot);
