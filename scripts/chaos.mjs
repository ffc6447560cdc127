// `npm run chaos -- --minutes 10`: installs what is missing, then runs
// scripts/chaos.ts (npm start under SIGKILLs, with its own traffic, and the
// reckoning of every record acknowledged).
import { ensureInstalled, step } from './bootstrap.mjs';

try {
  ensureInstalled();
} catch (error) {
  console.error(`\x1b[31m${error.message}\x1b[0m`);
  process.exit(1);
}
step('chaos: npm start under SIGKILLs');
const { register } = await import('tsx/esm/api');
register();
await import('./chaos.ts');
