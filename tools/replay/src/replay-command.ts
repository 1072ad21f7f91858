import { writeFile } from 'node:fs/promises';
import { createCardTokenizer } from './card-tokenizer.js';
import { newRunId } from './checkout-conversion.js';
import { checkGatewayReady, createOrderViewFetcher } from './gateway-client.js';
import { connectOrderPublisher } from './order-publisher.js';
import { createProgressReporter } from './progress-reporter.js';
import { formatIssue, readReplayOrders, type InputIssue } from './read-orders.js';
import {
  parseReplayOptions,
  REPLAY_USAGE,
  UsageError,
  type ReplayOptions,
} from './replay-options.js';
import { runReplay } from './replay-run.js';
import {
  runPassed,
  summarizeResults,
  type OrderResult,
  type ReplaySummary,
} from './replay-summary.js';
import { formatOrderRow, formatSummary, orderTableHeader } from './result-report.js';

/** Signals that arrive within this time after the first one count as copies of it. */
const SIGNAL_REPEAT_WINDOW_MS = 1_000;

/** Exit codes of the replay command. */
export const EXIT_CODES = { passed: 0, mismatch: 1, error: 2 } as const;

/** Contents of the `--json` file. */
interface JsonReport {
  runId: string;
  ordersFile: string;
  startedAt: string;
  finishedAt: string;
  summary: Omit<ReplaySummary, 'mismatches'> & { mismatches: number };
  invalidLines: InputIssue[];
  orders: OrderResult[];
}

function printResults(options: ReplayOptions, results: OrderResult[], lines: string[]): void {
  if (!options.quietOrders && results.length > 0) {
    for (const line of orderTableHeader()) console.log(line);
    for (const result of results) console.log(formatOrderRow(result));
    console.log('');
  }
  for (const line of lines) console.log(line);
}

async function replay(options: ReplayOptions): Promise<number> {
  const startedAt = new Date();
  const runId = options.runId ?? newRunId(startedAt);
  const parsed = await readReplayOrders(options.ordersFile, { runId, limit: options.limit });
  for (const issue of parsed.issues) console.error(`invalid input: ${formatIssue(issue)}`);
  const invalidLines = new Set(parsed.issues.map((issue) => issue.lineNumber)).size;

  await checkGatewayReady(options.gatewayUrl);
  console.error(
    `replaying ${parsed.orders.length} orders from ${options.ordersFile} as run ${runId} ` +
      `(order ids end in .${runId})`,
  );
  const publisher = await connectOrderPublisher({
    brokers: options.kafkaBrokers,
    topicPrefix: options.topicPrefix,
  });
  const interrupt = new AbortController();
  let firstSignalAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstSignalAt === undefined) {
      firstSignalAt = Date.now();
      console.error(`\nreplay: ${signal} received, reporting the states polled so far`);
      interrupt.abort();
      return;
    }
    // tsx passes a signal on to this process when the process does not confirm it within
    // 30 ms, so a busy event loop can receive one Ctrl-C twice. A repeat within a second counts
    // as that copy, and a later one forces the exit.
    if (Date.now() - firstSignalAt > SIGNAL_REPEAT_WINDOW_MS) {
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let results: OrderResult[];
  try {
    results = await runReplay({
      orders: parsed.orders,
      runId,
      tokenizeCard: createCardTokenizer({
        apiKey: options.stripeApiKey,
        baseUrl: options.stripeBaseUrl,
      }),
      publisher,
      fetchOrderViews: createOrderViewFetcher(options.gatewayUrl),
      progress: createProgressReporter(),
      timeoutSeconds: options.timeoutSeconds,
      ratePerSecond: options.ratePerSecond,
      warn: (message) => console.error(`warning: ${message}`),
      signal: interrupt.signal,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await publisher.close();
  }

  const finishedAt = new Date();
  const summary = summarizeResults(results, invalidLines);
  printResults(
    options,
    results,
    formatSummary(summary, finishedAt.getTime() - startedAt.getTime()),
  );
  if (options.jsonFile) {
    const report: JsonReport = {
      runId,
      ordersFile: options.ordersFile,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      summary: { ...summary, mismatches: summary.mismatches.length },
      invalidLines: parsed.issues,
      orders: results,
    };
    await writeFile(options.jsonFile, `${JSON.stringify(report, null, 2)}\n`);
    console.error(`results written to ${options.jsonFile}`);
  }
  return runPassed(summary) ? EXIT_CODES.passed : EXIT_CODES.mismatch;
}

/**
 * Runs the replay command with `args` (the command line without node and the script) and
 * returns its exit code. Usage errors and faults are printed to stderr.
 */
export async function runReplayCommand(args: string[]): Promise<number> {
  let options: ReplayOptions | undefined;
  try {
    options = parseReplayOptions(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`replay: ${error.message}\n\n${REPLAY_USAGE}`);
    return EXIT_CODES.error;
  }
  if (!options) {
    console.log(REPLAY_USAGE);
    return EXIT_CODES.passed;
  }
  try {
    return await replay(options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`replay failed: ${message}`);
    return EXIT_CODES.error;
  }
}
