import type { Logger } from './logger.js';

/** A cleanup step, such as closing a server, draining a consumer or releasing a connection. */
export type ShutdownStep = () => Promise<void> | void;

/** Process exit code after shutdown: 0 when every step finished in time, 1 otherwise. */
export type ShutdownExitCode = 0 | 1;

/** Options of `createShutdown`. */
export interface ShutdownOptions {
  logger: Logger;
  /** Maximum time for all steps together, in milliseconds. */
  timeoutMs: number;
}

/** Ordered cleanup of a process, run once. */
export interface Shutdown {
  /** Registers a step. Steps run in reverse order of registration. Throws once shutdown began. */
  add(name: string, step: ShutdownStep): void;
  /**
   * Runs the steps one at a time, last registered first, and resolves with the exit code without
   * exiting. A failed step is logged and the next one still runs. When `timeoutMs` passes, steps
   * not yet started are skipped and the code is 1. Later calls return the first call's promise.
   */
  run(reason?: string): Promise<ShutdownExitCode>;
  /**
   * Runs the shutdown on SIGTERM or SIGINT and then exits the process with its code. Returns a
   * function that removes the handlers.
   */
  installSignalHandlers(): () => void;
  /**
   * Runs the shutdown after a fault that the service cannot recover from, such as a consumer that
   * stopped for good. Once `installSignalHandlers` ran, the process then exits with code 1, so
   * that its supervisor starts it again.
   */
  abort(reason: string): void;
}

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Creates the shutdown sequence of a process. Register each resource's cleanup right after
 * acquiring it, so that the reverse order releases dependents before what they depend on.
 *
 * @example
 * const shutdown = createShutdown({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
 * shutdown.add('database', () => db.destroy());
 * shutdown.add('http server', () => app.close());
 * shutdown.installSignalHandlers();
 */
export function createShutdown(options: ShutdownOptions): Shutdown {
  const log = options.logger;
  const steps: { name: string; step: ShutdownStep }[] = [];
  let running: Promise<ShutdownExitCode> | undefined;
  let ownsProcess = false;

  const run = (reason = 'requested'): Promise<ShutdownExitCode> => {
    running ??= runSteps([...steps].reverse(), reason, options);
    return running;
  };

  return {
    add(name, step) {
      if (running !== undefined) {
        throw new Error(`cannot add shutdown step "${name}": shutdown has already started`);
      }
      steps.push({ name, step });
    },
    run,
    abort(reason) {
      log.error({ reason }, 'shutting down after an unrecoverable fault');
      void run(reason).then(() => {
        if (ownsProcess) process.exit(1);
      });
    },
    installSignalHandlers() {
      ownsProcess = true;
      const onSignal = (signal: NodeJS.Signals): void => {
        if (running !== undefined) {
          log.warn({ signal }, 'shutdown already in progress');
          return;
        }
        log.info({ signal }, 'shutdown signal received');
        void run(signal).then((code) => process.exit(code));
      };
      for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
      return () => {
        ownsProcess = false;
        for (const signal of SHUTDOWN_SIGNALS) process.off(signal, onSignal);
      };
    },
  };
}

async function runSteps(
  steps: { name: string; step: ShutdownStep }[],
  reason: string,
  options: ShutdownOptions,
): Promise<ShutdownExitCode> {
  const log = options.logger;
  const startedAt = Date.now();
  let timedOut = false;
  let currentStep: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  log.info({ reason, steps: steps.length, timeoutMs: options.timeoutMs }, 'shutdown started');

  const allSteps = (async (): Promise<ShutdownExitCode> => {
    let code: ShutdownExitCode = 0;
    for (const { name, step } of steps) {
      if (timedOut) break;
      currentStep = name;
      const stepStartedAt = Date.now();
      try {
        await step();
        log.info({ step: name, durationMs: Date.now() - stepStartedAt }, 'shutdown step finished');
      } catch (err) {
        code = 1;
        log.error({ step: name, err }, 'shutdown step failed');
      }
    }
    return code;
  })();

  const deadline = new Promise<ShutdownExitCode>((resolve) => {
    timer = setTimeout(() => {
      timedOut = true;
      log.error(
        { timeoutMs: options.timeoutMs, pendingStep: currentStep },
        'shutdown timed out, remaining steps skipped',
      );
      resolve(1);
    }, options.timeoutMs);
  });

  const code = await Promise.race([allSteps, deadline]);
  clearTimeout(timer);
  if (!timedOut) log.info({ code, durationMs: Date.now() - startedAt }, 'shutdown finished');
  return code;
}
