import {
  checkGatewayReady,
  connectOrderPublisher,
  createCardTokenizer,
  createOrderViewFetcher,
  createProgressReporter,
  newRunId,
  readReplayOrders,
  runReplay,
  summarizeLatencies,
  type LatencySummary,
  type OrderResult,
} from '@orderflow/replay';
import {
  cpuPerCapturedOrder,
  readAllServiceCpu,
  type CpuPerOrderFigures,
  type ServiceUrls,
} from './service-cpu.js';
import {
  hostCpuBetween,
  readHostProcessCpu,
  type HostCpuReading,
  type HostCpuUse,
} from './host-process-cpu.js';
import { syntheticApprovedOrders } from './synthetic-orders.js';

/** Settings of the end-to-end benchmark. */
export interface EndToEndSettings {
  orderCount: number;
  /** Orders sent per second; 0 sends as fast as the cards can be tokenized. */
  ratePerSecond: number;
  ordersFile: string;
  gatewayUrl: string;
  /** Base URL of each service, whose CPU time is read from its `/metrics`. */
  serviceUrls: ServiceUrls;
  kafkaBrokers: string[];
  topicPrefix: string;
  stripeApiKey: string;
  stripeBaseUrl: string;
  timeoutSeconds: number;
}

/** Figures of one end-to-end run. */
export interface EndToEndFigures {
  runId: string;
  sent: number;
  captured: number;
  /** Captured orders per second, from the first `order.created` to the last `payment.captured`. */
  ordersPerSecond: number | undefined;
  createdToCaptured: LatencySummary;
}

/** Figures of one end-to-end run with the CPU time that the services used for it. */
export interface EndToEndRun {
  figures: EndToEndFigures;
  cpu: CpuPerOrderFigures;
  /** CPU time of the broker, PostgreSQL and the sandbox when they run on this host. */
  hostCpu: HostCpuUse[] | { notMeasured: string };
}

/**
 * Computes throughput and latency from replay results: captured orders divided by the time from
 * the first `order.created` to the last `payment.captured`, and the percentiles of each order's
 * time between the two. Orders that were not captured count in neither.
 */
export function endToEndFigures(runId: string, results: readonly OrderResult[]): EndToEndFigures {
  let firstCreatedMs = Infinity;
  let lastCapturedMs = -Infinity;
  const latenciesMs: number[] = [];
  for (const result of results) {
    const capturedAfterMs = result.stageTimesMs['payment.captured'];
    if (result.createdAt === null || capturedAfterMs === undefined) continue;
    const createdMs = Date.parse(result.createdAt);
    firstCreatedMs = Math.min(firstCreatedMs, createdMs);
    lastCapturedMs = Math.max(lastCapturedMs, createdMs + capturedAfterMs);
    latenciesMs.push(capturedAfterMs);
  }
  const spanMs = lastCapturedMs - firstCreatedMs;
  return {
    runId,
    sent: results.filter((result) => result.createdAt !== null).length,
    captured: latenciesMs.length,
    ordersPerSecond: spanMs > 0 ? (latenciesMs.length * 1000) / spanMs : undefined,
    createdToCaptured: summarizeLatencies(latenciesMs),
  };
}

/**
 * Sends synthetic approved orders through a running platform with the replay's code and
 * measures them through the gateway's stage times. Reads each service's CPU time from its
 * `/metrics` right before the first order is sent and after the orders settle.
 */
export async function runEndToEndBench(settings: EndToEndSettings): Promise<EndToEndRun> {
  await checkGatewayReady(settings.gatewayUrl);
  const runId = newRunId().replace(/^r/, 'b');
  const dataSet = await readReplayOrders(settings.ordersFile, { runId });
  const orders = syntheticApprovedOrders(dataSet.orders, settings.orderCount);
  const publisher = await connectOrderPublisher({
    brokers: settings.kafkaBrokers,
    topicPrefix: settings.topicPrefix,
    clientId: 'orderflow-bench',
  });
  try {
    const cpuBefore = await readAllServiceCpu(settings.serviceUrls);
    const hostBefore = await readHostCpuOrReason();
    const results = await runReplay({
      orders,
      runId,
      tokenizeCard: createCardTokenizer({
        apiKey: settings.stripeApiKey,
        baseUrl: settings.stripeBaseUrl,
      }),
      publisher,
      fetchOrderViews: createOrderViewFetcher(settings.gatewayUrl),
      progress: createProgressReporter(),
      timeoutSeconds: settings.timeoutSeconds,
      ratePerSecond: settings.ratePerSecond || undefined,
      warn: (message) => console.error(`warning: ${message}`),
    });
    const cpuAfter = await readAllServiceCpu(settings.serviceUrls);
    const hostAfter = await readHostCpuOrReason();
    const figures = endToEndFigures(runId, results);
    return {
      figures,
      cpu: cpuPerCapturedOrder(cpuBefore, cpuAfter, figures.captured),
      hostCpu: hostCpuOfRun(hostBefore, hostAfter),
    };
  } finally {
    await publisher.close();
  }
}

/**
 * Reads the host processes' CPU time, or returns the reason it cannot: `/proc` exists only on
 * Linux, and processes on other hosts are out of reach.
 */
async function readHostCpuOrReason(): Promise<HostCpuReading | { notMeasured: string }> {
  try {
    const reading = await readHostProcessCpu();
    const found = [...reading.values()].some((processes) => processes.size > 0);
    return found ? reading : { notMeasured: 'none of them runs on this host' };
  } catch (error) {
    return { notMeasured: `/proc is not readable (${(error as Error).message})` };
  }
}

/** Returns the host processes' CPU time between two readings, or the reason one of them failed. */
function hostCpuOfRun(
  before: HostCpuReading | { notMeasured: string },
  after: HostCpuReading | { notMeasured: string },
): HostCpuUse[] | { notMeasured: string } {
  if ('notMeasured' in before) return before;
  if ('notMeasured' in after) return after;
  return hostCpuBetween(before, after);
}
