// `npm start`: installs what is missing, then hands over to scripts/hub.ts,
// which starts Kafka (unless KAFKA_BROKERS is set) and every service.
import { ensureInstalled, step } from './bootstrap.mjs';

try {
  ensureInstalled();
} catch (error) {
  console.error(`\x1b[31m${error.message}\x1b[0m`);
  process.exit(1);
}
step('starting the hub');
const { register } = await import('tsx/esm/api');
register();
await import('./hub.ts');
