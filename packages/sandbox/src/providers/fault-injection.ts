import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';

/** Failure queued for the next requests to one provider's API routes. */
export interface InjectedFault {
  /** HTTP status to respond with, in the provider's error shape. Omit to only add a delay. */
  statusCode?: number;
  /** Delay before the request is handled or failed, in milliseconds. */
  delayMs?: number;
  /** Number of requests the fault applies to. */
  count: number;
}

/** Builds the provider's own error body for an injected status code. */
export type FaultBodyBuilder = (statusCode: number) => unknown;

const faultSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    statusCode: { type: 'integer', minimum: 400, maximum: 599 },
    delayMs: { type: 'integer', minimum: 0, maximum: 60_000 },
    count: { type: 'integer', minimum: 1, maximum: 1_000, default: 1 },
  },
} as const;

/**
 * Adds sandbox-only routes that queue failures for one provider, and the hook that applies them.
 *
 * `POST /_sandbox/<provider>/faults` with `{ statusCode?, delayMs?, count? }` queues a fault;
 * `DELETE /_sandbox/<provider>/faults` clears the queue. Faults apply in order to the next
 * requests in `scope` whose path does not start with `/_sandbox/`. Tests use them to drive
 * retries, timeouts and the circuit breaker of an adapter.
 */
export function installFaultInjection(
  scope: FastifyInstance,
  provider: string,
  buildBody: FaultBodyBuilder,
): void {
  const queue: InjectedFault[] = [];

  scope.post<{ Body: Partial<InjectedFault> }>(
    `/_sandbox/${provider}/faults`,
    { schema: { body: faultSchema } },
    async (request, reply) => {
      const fault: InjectedFault = { count: 1, ...request.body };
      queue.push(fault);
      return reply.code(201).send({ queued: queue.length, fault });
    },
  );

  scope.delete(`/_sandbox/${provider}/faults`, async (_request, reply) => {
    queue.length = 0;
    return reply.code(204).send();
  });

  scope.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/_sandbox/')) return;
    const fault = queue[0];
    if (!fault) return;

    fault.count -= 1;
    if (fault.count <= 0) queue.shift();
    if (fault.delayMs) await sleep(fault.delayMs);
    if (fault.statusCode === undefined) return;

    reply.code(fault.statusCode).send(buildBody(fault.statusCode));
    return reply;
  });
}
