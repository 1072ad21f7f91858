import type { CheckoutOrder } from '@orderflow/contracts';
import type { CardTokenizer, TokenizeResult } from './card-tokenizer.js';
import { runOrderId, toCheckoutOrder } from './checkout-conversion.js';
import { MAX_IDS_PER_REQUEST, type OrderViewFetcher } from './gateway-client.js';
import type { OrderPublisher } from './order-publisher.js';
import type { ProgressReporter } from './progress-reporter.js';
import type { NumberedReplayOrder } from './replay-order.js';
import type { OrderResult } from './replay-summary.js';
import { ReplayTracker } from './replay-tracker.js';

/** Defaults of a replay run. */
export const REPLAY_DEFAULTS = {
  timeoutSeconds: 900,
  pollIntervalMs: 2_000,
  /** Orders per `sendBatch` when no rate is set. */
  batchSize: 200,
  /** Payment method creations in flight at once. */
  tokenizeConcurrency: 16,
  /** Minimum time between two warnings about failed gateway polls. */
  pollWarningIntervalMs: 30_000,
  /**
   * Pause after a poll round, as a multiple of the round's duration. Each id costs the gateway
   * two queries, so with 2 the replay's polling takes at most a third of the gateway's time and
   * leaves the rest to the projection it waits for.
   */
  pollPauseFactor: 2,
} as const;

/** Inputs of one replay run. */
export interface ReplayRunOptions {
  orders: readonly NumberedReplayOrder[];
  runId: string;
  tokenizeCard: CardTokenizer;
  publisher: Pick<OrderPublisher, 'publish'>;
  fetchOrderViews: OrderViewFetcher;
  progress?: ProgressReporter;
  /** Maximum wait for orders to settle after the last order was sent, in seconds. */
  timeoutSeconds?: number;
  pollIntervalMs?: number;
  /** Orders sent per second; undefined or 0 sends as fast as the cards can be tokenized. */
  ratePerSecond?: number;
  batchSize?: number;
  tokenizeConcurrency?: number;
  /** Receives warnings, such as a gateway poll that failed and will be retried. */
  warn?: (message: string) => void;
  /** Stops sending and polling; the run then returns the states known so far. */
  signal?: AbortSignal;
}

/** Waits `ms`, or less when `signal` aborts first. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    result.push(items.slice(start, start + size));
  return result;
}

/** Runs `work` over `items` with at most `concurrency` calls in flight; keeps the input order. */
async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** Orders per batch: about ten batches a second when a rate is set. */
function batchSizeFor(options: ReplayRunOptions): number {
  if (options.batchSize) return options.batchSize;
  if (options.ratePerSecond) return Math.max(1, Math.ceil(options.ratePerSecond / 10));
  return REPLAY_DEFAULTS.batchSize;
}

interface RunState {
  startedAt: number;
  sendingDoneAt?: number;
  aborted: boolean;
}

/**
 * Plays the storefront for each order: tokenizes the card, converts the order to the checkout
 * contract, and publishes `order.created` in batches. Throws when tokenizing fails for another
 * reason than a rejected card, or when publishing fails.
 */
async function sendOrders(
  options: ReplayRunOptions,
  tracker: ReplayTracker,
  state: RunState,
): Promise<void> {
  const concurrency = options.tokenizeConcurrency ?? REPLAY_DEFAULTS.tokenizeConcurrency;
  let sent = 0;
  for (const batch of chunks(options.orders, batchSizeFor(options))) {
    if (options.ratePerSecond) {
      const dueAt = state.startedAt + (sent / options.ratePerSecond) * 1000;
      await sleep(Math.max(0, dueAt - Date.now()), options.signal);
    }
    if (options.signal?.aborted) return;
    const tokens = await mapConcurrently(batch, concurrency, (entry) =>
      options.tokenizeCard(
        runOrderId(entry.order.orderId, options.runId),
        entry.order.synthetic.card,
      ),
    );
    const checkoutOrders = collectCheckoutOrders(batch, tokens, options.runId, tracker);
    if (checkoutOrders.length > 0) {
      const createdAt = new Date();
      await options.publisher.publish(checkoutOrders, createdAt);
      tracker.markSent(
        checkoutOrders.map((order) => order.orderId),
        createdAt,
      );
    }
    sent += batch.length;
    options.progress?.update(tracker.snapshot(Date.now() - state.startedAt));
  }
}

function collectCheckoutOrders(
  batch: readonly NumberedReplayOrder[],
  tokens: readonly TokenizeResult[],
  runId: string,
  tracker: ReplayTracker,
): CheckoutOrder[] {
  const orders: CheckoutOrder[] = [];
  batch.forEach((entry, index) => {
    const token = tokens[index];
    const orderId = runOrderId(entry.order.orderId, runId);
    if (!token || token.kind === 'rejected') {
      tracker.markCardRejected(orderId, token?.customerMessage ?? 'card rejected');
      return;
    }
    orders.push(toCheckoutOrder(entry.order, { orderId, paymentMethodId: token.paymentMethodId }));
  });
  return orders;
}

/**
 * Polls the gateway for every sent order that has not settled, up to MAX_IDS_PER_REQUEST ids a
 * request, until all orders settled or the timeout after the last send passed. Rounds are
 * spaced by `pollIntervalMs` or by pollPauseFactor times the last round's duration, whichever
 * is longer. A failed poll is reported through `warn` and retried in the next round.
 */
async function pollUntilSettled(
  options: ReplayRunOptions,
  tracker: ReplayTracker,
  state: RunState,
): Promise<void> {
  const timeoutMs = (options.timeoutSeconds ?? REPLAY_DEFAULTS.timeoutSeconds) * 1000;
  const intervalMs = options.pollIntervalMs ?? REPLAY_DEFAULTS.pollIntervalMs;
  let lastWarningAt = -Infinity;

  while (!state.aborted && !options.signal?.aborted) {
    const roundStartedAt = Date.now();
    for (const ids of chunks(tracker.unsettledSentIds(), MAX_IDS_PER_REQUEST)) {
      try {
        tracker.update(await options.fetchOrderViews(ids));
      } catch (error) {
        if (Date.now() - lastWarningAt >= REPLAY_DEFAULTS.pollWarningIntervalMs) {
          lastWarningAt = Date.now();
          const message = error instanceof Error ? error.message : String(error);
          options.warn?.(`polling the gateway failed, retrying: ${message}`);
        }
        break;
      }
    }
    options.progress?.update(tracker.snapshot(Date.now() - state.startedAt));
    if (state.sendingDoneAt !== undefined) {
      if (tracker.allSettled()) return;
      if (Date.now() - state.sendingDoneAt >= timeoutMs) return;
    }
    const roundMs = Date.now() - roundStartedAt;
    await sleep(Math.max(intervalMs, roundMs * REPLAY_DEFAULTS.pollPauseFactor), options.signal);
  }
}

/**
 * Replays the orders against a running platform and returns each order's final state, in input
 * order. Sending and polling run at the same time, so the progress shows settled orders while
 * later ones are still being sent. When `signal` aborts, the run stops sending and polling and
 * returns the states polled so far. Orders not sent yet get the status `unknown`.
 */
export async function runReplay(options: ReplayRunOptions): Promise<OrderResult[]> {
  const tracker = new ReplayTracker(options.orders, options.runId);
  const state: RunState = { startedAt: Date.now(), aborted: false };
  const polling = pollUntilSettled(options, tracker, state);
  try {
    await sendOrders(options, tracker, state);
    state.sendingDoneAt = Date.now();
    await polling;
  } catch (error) {
    state.aborted = true;
    await polling.catch(() => undefined);
    throw error;
  } finally {
    options.progress?.finish();
  }
  return tracker.results();
}
