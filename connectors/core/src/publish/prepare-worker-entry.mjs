// Entry of the prepare worker thread: TypeScript is loaded through tsx (as in
// the services themselves), then the worker proper.
import { register } from 'tsx/esm/api';

register();
await import('./prepare-worker.ts');
