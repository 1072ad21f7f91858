import { context, propagation, type Context } from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';

/** W3C trace context of the active span, as `traceparent` and `tracestate` strings. */
export function currentTraceContext(): { traceparent?: string; tracestate?: string } {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const result: { traceparent?: string; tracestate?: string } = {};
  if (carrier.traceparent) result.traceparent = carrier.traceparent;
  if (carrier.tracestate) result.tracestate = carrier.tracestate;
  return result;
}

/**
 * Reads the parent context from Kafka headers, falling back to the envelope's own
 * `traceparent` attribute when a producer set it only there.
 */
export function extractTraceContext(
  headers: IHeaders | undefined,
  envelopeTraceparent?: string,
): Context {
  const carrier: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) carrier[name.toLowerCase()] = headerText(value);
  }
  if (!carrier.traceparent && envelopeTraceparent) carrier.traceparent = envelopeTraceparent;
  return propagation.extract(context.active(), carrier);
}

/** Decodes one Kafka header value to text. */
export function headerText(value: Buffer | string | (Buffer | string)[] | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => item.toString()).join(',');
  return value.toString();
}
