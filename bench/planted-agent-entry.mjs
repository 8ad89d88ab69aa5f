// The planted agent's own process (planted-agent.ts): register tsx, then serve.
import { register } from 'tsx/esm/api';

register();
const { servePlantedAgentProcess } = await import('./planted-agent.ts');
await servePlantedAgentProcess();
