import { startSandbox } from './server.js';

const port = Number(process.env.PORT ?? 4010);
const sandbox = await startSandbox({
  port,
  host: process.env.HOST ?? '127.0.0.1',
  logLevel: process.env.LOG_LEVEL ?? 'warn',
});
console.log(JSON.stringify({ level: 30, msg: 'sandbox listening', url: sandbox.url }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
