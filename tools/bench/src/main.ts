import { readReplayOrders } from '@orderflow/replay';
import {
  BENCH_DEFAULTS,
  BENCH_USAGE,
  BenchUsageError,
  parseBenchOptions,
  type BenchOptions,
} from './bench-options.js';
import { formatCpuPerOrder, formatEndToEnd, formatRelay, machineLine } from './bench-report.js';
import { runEndToEndBench } from './end-to-end-bench.js';
import { runRelayBench } from './relay-bench.js';
import { syntheticApprovedOrders } from './synthetic-orders.js';

/** Approved data set orders whose events fill the outbox in the relay benchmark. */
const RELAY_SOURCE_ORDERS = 1_000;

async function bench(options: BenchOptions): Promise<void> {
  console.log(machineLine());
  if (options.endToEnd) {
    const run = await runEndToEndBench({ ...options });
    for (const line of formatEndToEnd(run.figures, options.ratePerSecond)) console.log(line);
    for (const line of formatCpuPerOrder(run.cpu, run.hostCpu)) console.log(line);
  }
  if (options.relay) {
    const dataSet = await readReplayOrders(options.ordersFile, { runId: 'bench' });
    const figures = await runRelayBench({
      messageCount: options.messageCount,
      orders: syntheticApprovedOrders(dataSet.orders, RELAY_SOURCE_ORDERS),
      partitions: BENCH_DEFAULTS.partitions,
      rounds: BENCH_DEFAULTS.relayRounds,
      timeoutMs: options.timeoutSeconds * 1000,
    });
    for (const line of formatRelay(figures)) console.log(line);
  }
}

async function main(args: string[]): Promise<number> {
  let options: BenchOptions | undefined;
  try {
    options = parseBenchOptions(args);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    console.error(`bench: ${error.message}\n\n${BENCH_USAGE}`);
    return 2;
  }
  if (!options) {
    console.log(BENCH_USAGE);
    return 0;
  }
  try {
    await bench(options);
    return 0;
  } catch (error) {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

// Exits explicitly, because the HTTP agents of the Stripe SDK keep idle sockets open.
process.exit(await main(process.argv.slice(2)));
