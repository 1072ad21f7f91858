import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { formatLatencies } from '@orderflow/replay';
import type { EndToEndFigures } from './end-to-end-bench.js';
import type { RelayFigures } from './relay-bench.js';
import { HOST_PROCESS_KINDS, type HostCpuUse } from './host-process-cpu.js';
import { CPU_METRIC, type CpuPerOrderFigures } from './service-cpu.js';

/** Targets printed beside the figures. */
export const BENCH_TARGETS = {
  ordersPerSecond: 100,
  p99Ms: 2_000,
  /** Minimum relay rate as a fraction of the bare producer's rate. */
  relayRatio: 0.8,
} as const;

const KAFKA_SCRIPT = fileURLToPath(new URL('../../../infra/kafka/kafka.sh', import.meta.url));

/** Returns the Kafka version that infra/kafka/kafka.sh pins, or `unknown`. */
function pinnedKafkaVersion(): string {
  try {
    return /KAFKA_VERSION=([\w.-]+)/.exec(readFileSync(KAFKA_SCRIPT, 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Describes the machine: cores, memory, Node version and the pinned Kafka version. */
export function machineLine(): string {
  const gibibytes = Math.round(totalmem() / 2 ** 30);
  return (
    `machine: ${cpus().length} cores, ${gibibytes} GiB, Node ${process.versions.node}, ` +
    `Kafka ${pinnedKafkaVersion()} (as pinned by infra/kafka/kafka.sh)`
  );
}

function verdict(met: boolean): string {
  return met ? 'met' : 'NOT met';
}

/** Formats the end-to-end figures with the targets beside them. */
export function formatEndToEnd(figures: EndToEndFigures, ratePerSecond: number): string[] {
  const rate = figures.ordersPerSecond;
  const p99 = figures.createdToCaptured.p99Ms;
  const offered = ratePerSecond === 0 ? 'as fast as possible' : `${ratePerSecond} orders/s`;
  const met =
    rate !== undefined &&
    rate >= BENCH_TARGETS.ordersPerSecond &&
    p99 !== undefined &&
    p99 < BENCH_TARGETS.p99Ms;
  return [
    `end to end (run ${figures.runId}): ${figures.sent} orders sent at ${offered}, ` +
      `${figures.captured} captured`,
    `  throughput: ${rate === undefined ? '-' : rate.toFixed(1)} orders/s ` +
      '(captured orders from the first order.created to the last payment.captured)',
    `  order.created to payment.captured: ${formatLatencies(figures.createdToCaptured)}`,
    `  target: >= ${BENCH_TARGETS.ordersPerSecond} orders/s with p99 < ${BENCH_TARGETS.p99Ms} ms: ` +
      verdict(met),
  ];
}

/** Formats the relay figures with the target beside them, then each round's figures. */
export function formatRelay(figures: RelayFigures): string[] {
  const roundLines = figures.rounds.map(
    (round, index) =>
      `    round ${index + 1}: relay ${round.relayMessagesPerSecond.toFixed(0)}, ` +
      `bare producer ${round.producerMessagesPerSecond.toFixed(0)} messages/s, ` +
      `${percent(round.ratio)}`,
  );
  return [
    `outbox relay vs bare kafkajs producer, ${figures.messageCount} messages, ` +
      `median of ${figures.rounds.length} round(s):`,
    `  relay: ${figures.relayMessagesPerSecond.toFixed(0)} messages/s`,
    `  bare producer: ${figures.producerMessagesPerSecond.toFixed(0)} messages/s`,
    `  ratio: ${percent(figures.ratio)} ` +
      `(target >= ${percent(BENCH_TARGETS.relayRatio)}: ${verdict(figures.ratio >= BENCH_TARGETS.relayRatio)})`,
    ...roundLines,
  ];
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(0)}%`;
}

function formatMsPerOrder(ms: number | undefined): string {
  return ms === undefined ? '-' : `${ms.toFixed(2)} ms`;
}

/**
 * Formats the CPU time per captured order of each service and in total. Then come the Kafka
 * broker, PostgreSQL and the sandbox, read from `/proc` when they run on this host, with the
 * total of all processes, or a line with the reason they were not measured.
 */
export function formatCpuPerOrder(
  figures: CpuPerOrderFigures,
  host: HostCpuUse[] | { notMeasured: string },
): string[] {
  const names = [...figures.services.map((use) => use.service), ...HOST_PROCESS_KINDS];
  const width = Math.max('all processes'.length, ...names.map((name) => name.length));
  const lines = [
    `  CPU per captured order: each service's ${CPU_METRIC} over the run, idle work included, ` +
      `divided by ${figures.captured} captured orders`,
  ];
  for (const use of figures.services) {
    const name = use.service.padEnd(width);
    if ('notMeasured' in use) {
      lines.push(`    ${name}  not measured: ${use.notMeasured}`);
    } else {
      const perOrder = formatMsPerOrder(use.msPerOrder);
      lines.push(`    ${name}  ${perOrder} (${use.cpuSeconds.toFixed(2)} s CPU)`);
    }
  }
  const total = formatMsPerOrder(figures.totalMsPerOrder);
  lines.push(
    `    ${'total'.padEnd(width)}  ${total} (${figures.totalCpuSeconds.toFixed(2)} s CPU, ` +
      `${figures.measuredServices} of ${figures.services.length} services measured)`,
  );
  if ('notMeasured' in host) {
    lines.push(`  the Kafka broker, PostgreSQL and the sandbox not measured: ${host.notMeasured}`);
    return lines;
  }
  lines.push(
    '  other processes on this host, from /proc (PostgreSQL counts every database of its server):',
  );
  let allSeconds = figures.totalCpuSeconds;
  for (const use of host) {
    allSeconds += use.cpuSeconds;
    const perOrder = formatMsPerOrder(msPerOrder(use.cpuSeconds, figures.captured));
    lines.push(
      `    ${use.kind.padEnd(width)}  ${perOrder} (${use.cpuSeconds.toFixed(2)} s CPU, ` +
        `${use.processes} ${use.processes === 1 ? 'process' : 'processes'})`,
    );
  }
  const all = formatMsPerOrder(msPerOrder(allSeconds, figures.captured));
  lines.push(`    ${'all processes'.padEnd(width)}  ${all} (${allSeconds.toFixed(2)} s CPU)`);
  return lines;
}

function msPerOrder(cpuSeconds: number, captured: number): number | undefined {
  return captured === 0 ? undefined : (cpuSeconds * 1000) / captured;
}
