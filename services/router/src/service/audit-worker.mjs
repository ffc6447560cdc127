// The entry of the audit scribe's thread (audit-thread.ts). Plain JavaScript:
// on Node 20 a worker thread does not inherit its parent's TypeScript loader,
// so it registers tsx itself before loading the TypeScript module.
import { register } from 'tsx/esm/api';

register();
await import('./audit-worker.ts');
