export { buildSandbox, startSandbox, type RunningSandbox, type SandboxOptions } from './server.js';
