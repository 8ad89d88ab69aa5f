// A runner process (cli/run-child.ts) starts without the parent's TypeScript loader: register tsx, then load it.
import { register } from 'tsx/esm/api';

register();
await import('./run-child.ts');
