import type { Admin, Kafka } from 'kafkajs';
import type { Knex } from 'knex';

/** A dependency that must respond before the service reports ready. */
export interface ReadinessCheck {
  /** Key of this check in the readiness response, such as `db`. */
  name: string;
  /** Resolves when the dependency responds and rejects with the reason when it does not. */
  check: () => Promise<void>;
}

/** A readiness check with a connection that `close()` releases at shutdown. */
export interface ClosableReadinessCheck extends ReadinessCheck {
  close(): Promise<void>;
}

/** Outcome of one readiness round: `ok` or the failure message for each check. */
export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, string>;
}

/** Timeout applied to each readiness check when the caller gives none. */
export const DEFAULT_READINESS_TIMEOUT_MS = 2_000;

/**
 * Runs every check at the same time, each bounded by `timeoutMs`, and reports each one as `ok` or
 * its failure message. A check that times out keeps running in the background.
 */
export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs: number = DEFAULT_READINESS_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const outcomes = await Promise.all(
    checks.map(async ({ name, check }) => {
      try {
        await withTimeout(check(), timeoutMs);
        return [name, 'ok'] as const;
      } catch (error) {
        return [name, messageOf(error)] as const;
      }
    }),
  );
  const ready = outcomes.every(([, outcome]) => outcome === 'ok');
  return { ready, checks: Object.fromEntries(outcomes) };
}

/**
 * Checks the database with `select 1`.
 *
 * @example
 * createHttpApp({ ..., readiness: [databaseCheck(db), kafkaCheck(kafka)] });
 */
export function databaseCheck(db: Knex): ReadinessCheck {
  return {
    name: 'db',
    check: async () => {
      try {
        await db.raw('select 1');
      } catch (error) {
        throw new Error(`database query failed: ${messageOf(error)}`, { cause: error });
      }
    },
  };
}

/**
 * Checks Kafka with an admin client's `describeCluster`. The admin connects on the first check
 * and is reused; after any failure it is disconnected and the next check connects again. Call
 * `close()` at shutdown to disconnect it.
 *
 * Give it a client created with `retry: { retries: 0 }`. The admin's own retry setting does not
 * cover connecting, so with kafkajs' default retries a refused connection fails only after about
 * 8 seconds (measured once with kafkajs 2.2.4 against a refused loopback port), and checks
 * report a timeout until then.
 */
export function kafkaCheck(kafka: Kafka): ClosableReadinessCheck {
  let connecting: Promise<Admin> | undefined;
  let closed = false;

  const connect = (): Promise<Admin> => {
    if (connecting !== undefined) return connecting;
    // No retries, because the caller of the readiness route repeats the probe anyway.
    const admin = kafka.admin({ retry: { retries: 0 } });
    connecting = admin.connect().then(
      () => admin,
      async (error: unknown) => {
        connecting = undefined;
        await admin.disconnect().catch(() => undefined);
        throw error;
      },
    );
    return connecting;
  };

  const reset = async (admin: Admin): Promise<void> => {
    connecting = undefined;
    await admin.disconnect().catch(() => undefined);
  };

  return {
    name: 'kafka',
    check: async () => {
      if (closed) throw new Error('kafka check is closed');
      let admin: Admin;
      try {
        admin = await connect();
      } catch (error) {
        throw new Error(`kafka connection failed: ${messageOf(error)}`, { cause: error });
      }
      try {
        await admin.describeCluster();
      } catch (error) {
        await reset(admin);
        throw new Error(`kafka describeCluster failed: ${messageOf(error)}`, { cause: error });
      }
    },
    close: async () => {
      closed = true;
      const pending = connecting;
      connecting = undefined;
      if (pending === undefined) return;
      const admin = await pending.catch(() => undefined);
      await admin?.disconnect();
    },
  };
}

function withTimeout(work: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
