import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerAvaTax } from './providers/avatax.js';
import { registerEasyPost } from './providers/easypost.js';
import { registerHubSpot } from './providers/hubspot.js';
import { registerSendGrid } from './providers/sendgrid.js';
import { registerSift } from './providers/sift.js';
import { registerStripe } from './providers/stripe.js';
import { registerTwilio } from './providers/twilio.js';

export interface SandboxOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  logLevel?: string;
}

export interface RunningSandbox {
  app: FastifyInstance;
  /** Base URL such as `http://127.0.0.1:4010`, without a trailing slash. */
  url: string;
  close(): Promise<void>;
}

/** Builds the sandbox app with every provider's routes; each provider keeps its own state. */
export async function buildSandbox(logLevel = 'warn'): Promise<FastifyInstance> {
  const app = Fastify({ logger: { level: logLevel }, bodyLimit: 5 * 1024 * 1024 });
  await app.register(formbody);
  await registerStripe(app);
  await registerEasyPost(app);
  await registerAvaTax(app);
  await registerSift(app);
  await registerSendGrid(app);
  await registerTwilio(app);
  await registerHubSpot(app);
  return app;
}

/** Starts the sandbox on loopback and returns its base URL. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const app = await buildSandbox(options.logLevel);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { app, url: `http://${host}:${port}`, close: () => app.close() };
}
