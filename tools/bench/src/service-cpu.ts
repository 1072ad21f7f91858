/** Services whose CPU time the end-to-end bench reads, with the variable and default of each URL. */
export const BENCH_SERVICES = [
  { service: 'gateway', urlVariable: 'GATEWAY_URL', defaultUrl: 'http://127.0.0.1:8080' },
  { service: 'payment', urlVariable: 'PAYMENT_URL', defaultUrl: 'http://127.0.0.1:8081' },
  { service: 'shipping', urlVariable: 'SHIPPING_URL', defaultUrl: 'http://127.0.0.1:8082' },
  { service: 'tax', urlVariable: 'TAX_URL', defaultUrl: 'http://127.0.0.1:8083' },
  { service: 'fraud', urlVariable: 'FRAUD_URL', defaultUrl: 'http://127.0.0.1:8084' },
  {
    service: 'notification',
    urlVariable: 'NOTIFICATION_URL',
    defaultUrl: 'http://127.0.0.1:8085',
  },
  { service: 'crm-sync', urlVariable: 'CRM_SYNC_URL', defaultUrl: 'http://127.0.0.1:8086' },
] as const;

export type BenchService = (typeof BENCH_SERVICES)[number]['service'];

/** Base URL of each service, such as `http://127.0.0.1:8081` for payment. */
export type ServiceUrls = Record<BenchService, string>;

/** Counter of the CPU time, user and system, that a service process has used, in seconds. */
export const CPU_METRIC = 'process_cpu_seconds_total';

/** Maximum time for one `/metrics` request, in ms. */
const SCRAPE_TIMEOUT_MS = 10_000;

/** One sample of a Prometheus text exposition. */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Parses the Prometheus text exposition format 0.0.4 into its samples. Comment lines (`# HELP`,
 * `# TYPE`) and blank lines are skipped, and timestamps are dropped. Throws an error that names
 * the line when a sample line is invalid.
 */
export function parsePrometheusText(text: string): PrometheusSample[] {
  const samples: PrometheusSample[] = [];
  const lines = text.split('\n');
  for (const [index, rawLine] of lines.entries()) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      samples.push(parseSampleLine(line));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`invalid Prometheus sample on line ${index + 1}: ${reason}`);
    }
  }
  return samples;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseSampleLine(line: string): PrometheusSample {
  const name = METRIC_NAME.exec(line)?.[0];
  if (name === undefined) throw new Error('missing metric name');
  // Blanks may separate every token of a line, including the name from the labels.
  let rest = line.slice(name.length).trimStart();
  let labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    const parsed = parseLabels(rest);
    labels = parsed.labels;
    rest = rest.slice(parsed.length);
  }
  // The value is followed by an optional timestamp in ms, which the bench does not need.
  const [valueText, , extra] = rest.trim().split(/[ \t]+/);
  if (valueText === undefined || valueText === '') throw new Error('missing value');
  if (extra !== undefined) throw new Error('unexpected text after the timestamp');
  return { name, labels, value: parseSampleValue(valueText) };
}

/** Parses `{name="value",...}` at the start of `text` and returns the labels and the length read. */
function parseLabels(text: string): { labels: Record<string, string>; length: number } {
  const labels: Record<string, string> = {};
  let position = 1;
  const skipSpaces = () => {
    while (text[position] === ' ' || text[position] === '\t') position += 1;
  };
  for (;;) {
    skipSpaces();
    if (text[position] === '}') return { labels, length: position + 1 };
    const labelName = LABEL_NAME.exec(text.slice(position))?.[0];
    if (labelName === undefined) throw new Error(`invalid label name at column ${position + 1}`);
    position += labelName.length;
    skipSpaces();
    if (text[position] !== '=') throw new Error(`missing "=" after label ${labelName}`);
    position += 1;
    skipSpaces();
    if (text[position] !== '"') throw new Error(`missing opening quote of label ${labelName}`);
    position += 1;
    let value = '';
    for (;;) {
      const character = text[position];
      if (character === undefined) throw new Error(`missing closing quote of label ${labelName}`);
      position += 1;
      if (character === '"') break;
      if (character !== '\\') {
        value += character;
        continue;
      }
      // The format escapes only backslash, double quote and line feed.
      const escaped = text[position];
      position += 1;
      value += escaped === 'n' ? '\n' : (escaped ?? '');
    }
    labels[labelName] = value;
    skipSpaces();
    if (text[position] === ',') position += 1;
    else if (text[position] !== '}') throw new Error(`missing "," or "}" after label ${labelName}`);
  }
}

/** Infinity and NaN, matched without regard to case as Go's `strconv.ParseFloat` does. */
const SPECIAL_VALUE = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Parses a sample value as Prometheus does with Go's `strconv.ParseFloat`. prom-client 15
 * writes NaN as `Nan`, which this accepts.
 */
function parseSampleValue(text: string): number {
  const special = SPECIAL_VALUE.exec(text);
  if (special !== null) {
    if (special[2]!.toLowerCase() === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`invalid value "${text}"`);
  return value;
}

/** Returns the sum of every sample of metric `name`, whatever its labels, or undefined if none. */
export function sumSamples(samples: readonly PrometheusSample[], name: string): number | undefined {
  let total: number | undefined;
  for (const sample of samples) {
    if (sample.name === name) total = (total ?? 0) + sample.value;
  }
  return total;
}

/** CPU seconds that one service reported, or the reason it could not be read. */
export type CpuReading =
  | { service: BenchService; url: string; cpuSeconds: number }
  | { service: BenchService; url: string; error: string };

/**
 * Reads `process_cpu_seconds_total` from `<url>/metrics`. Never rejects: a service that does not
 * respond, responds with an error status or lacks the metric yields a reading with `error`.
 */
export async function readServiceCpu(service: BenchService, url: string): Promise<CpuReading> {
  const metricsUrl = `${url.replace(/\/+$/, '')}/metrics`;
  try {
    const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
    if (!response.ok) {
      return { service, url, error: `GET ${metricsUrl} returned HTTP ${response.status}` };
    }
    const cpuSeconds = sumSamples(parsePrometheusText(await response.text()), CPU_METRIC);
    if (cpuSeconds === undefined) {
      return { service, url, error: `${CPU_METRIC} is missing from ${metricsUrl}` };
    }
    return { service, url, cpuSeconds };
  } catch (error) {
    return { service, url, error: `GET ${metricsUrl} failed: ${errorText(error)}` };
  }
}

/** Reads the CPU seconds of every service at once. */
export function readAllServiceCpu(urls: ServiceUrls): Promise<CpuReading[]> {
  return Promise.all(BENCH_SERVICES.map(({ service }) => readServiceCpu(service, urls[service])));
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Node's fetch rejects with "fetch failed" and puts the reason, such as ECONNREFUSED, in cause.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/** CPU time of one service over the run. */
export type ServiceCpuUse =
  | { service: BenchService; cpuSeconds: number; msPerOrder: number | undefined }
  | { service: BenchService; notMeasured: string };

/** CPU time per captured order, per service and in total. */
export interface CpuPerOrderFigures {
  captured: number;
  services: ServiceCpuUse[];
  /** Sum over the measured services. */
  totalCpuSeconds: number;
  /** Undefined when no order was captured or no service was measured. */
  totalMsPerOrder: number | undefined;
  measuredServices: number;
}

/**
 * Divides each service's CPU seconds between the two readings by the number of captured orders.
 * The CPU time covers everything the process did between the readings, idle polling included.
 * A service missing from either reading, or whose counter went down because it restarted, is
 * reported as not measured and left out of the total.
 *
 * NOTE: the total assumes one process per service, as scripts/run-platform.sh and the
 * deployment files start them. Services that share a process, as in tests/saga, each report
 * the whole process, so the total counts it once per service.
 */
export function cpuPerCapturedOrder(
  before: readonly CpuReading[],
  after: readonly CpuReading[],
  captured: number,
): CpuPerOrderFigures {
  const services: ServiceCpuUse[] = [];
  let totalCpuSeconds = 0;
  let measuredServices = 0;
  for (const { service } of BENCH_SERVICES) {
    const first = before.find((reading) => reading.service === service);
    const last = after.find((reading) => reading.service === service);
    const use = cpuUse(service, first, last, captured);
    services.push(use);
    if ('cpuSeconds' in use) {
      totalCpuSeconds += use.cpuSeconds;
      measuredServices += 1;
    }
  }
  return {
    captured,
    services,
    totalCpuSeconds,
    totalMsPerOrder:
      captured > 0 && measuredServices > 0 ? (totalCpuSeconds * 1000) / captured : undefined,
    measuredServices,
  };
}

function cpuUse(
  service: BenchService,
  first: CpuReading | undefined,
  last: CpuReading | undefined,
  captured: number,
): ServiceCpuUse {
  if (first === undefined || last === undefined) {
    return { service, notMeasured: 'no reading' };
  }
  if ('error' in first) return { service, notMeasured: `before the run: ${first.error}` };
  if ('error' in last) return { service, notMeasured: `after the run: ${last.error}` };
  const cpuSeconds = last.cpuSeconds - first.cpuSeconds;
  if (cpuSeconds < 0) {
    return {
      service,
      notMeasured:
        `${CPU_METRIC} went down from ${first.cpuSeconds} to ${last.cpuSeconds} s, ` +
        'so the service restarted during the run',
    };
  }
  return {
    service,
    cpuSeconds,
    msPerOrder: captured > 0 ? (cpuSeconds * 1000) / captured : undefined,
  };
}
