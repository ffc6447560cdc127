/**
 * Regenerates data/cn-official.json after chinese-days is upgraded:
 *   npm run generate:data -w packages/calendar
 * Review the diff against the State Council notice before committing it.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { officialCalendarFile, readChineseDays } from './official-data.ts';

const file = officialCalendarFile(readChineseDays());
const target = fileURLToPath(new URL('../data/cn-official.json', import.meta.url));
// One date a line keeps the diff of an upgrade readable; the years fit on one.
const text = JSON.stringify(file, null, 2).replace(/"years": \[[^\]]*\]/, `"years": ${JSON.stringify(file.years)}`);
writeFileSync(target, `${text}\n`);
process.stdout.write(`wrote ${target}: years ${file.years[0]}-${file.years.at(-1)}, ${file.holidays?.length} holidays, ${file.workdays?.length} workdays\n`);
