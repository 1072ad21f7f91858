/**
 * Error catalog shared by every service. Each error carries a stable code, the HTTP status a
 * route answers with, and whether a retry can help, so that HTTP handlers, Kafka consumers and
 * provider adapters make the same decision from the same object.
 */

import { formatFieldPath } from '@orderflow/contracts';
import type { z } from 'zod';

/** Base class for errors that the platform raises on purpose. */
export class AppError extends Error {
  readonly code: string;
  readonly statusCode: number;
  /** True when the same call may succeed later (timeouts, 5xx, 429, lost connections). */
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: string,
    message: string,
    options: {
      statusCode?: number;
      retryable?: boolean;
      details?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.statusCode = options.statusCode ?? 500;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

/** A request or event field failed validation; `path` is the dotted field path. */
export class ValidationError extends AppError {
  readonly issues: FieldIssue[];

  constructor(issues: FieldIssue[], message = describeIssues(issues)) {
    super('VALIDATION_FAILED', message, { statusCode: 400, retryable: false });
    this.issues = issues;
  }
}

/** One invalid field: its dotted path (`lines.0.quantity`) and what is wrong with it. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** A requested resource does not exist. The message names its kind and id. */
export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${id} was not found`, { statusCode: 404 });
  }
}

/** Configuration read at start-up is missing or invalid; the message names the variable. */
export class ConfigError extends AppError {
  constructor(message: string) {
    super('CONFIG_INVALID', message, { statusCode: 500 });
  }
}

/**
 * A call to an external provider failed. `retryable` says whether the same request may succeed
 * later; `customerMessage` is a sentence that may be shown to the customer as it is.
 */
export class ProviderError extends AppError {
  readonly provider: string;
  readonly customerMessage: string;

  constructor(
    provider: string,
    code: string,
    message: string,
    options: { retryable: boolean; customerMessage?: string; statusCode?: number; cause?: unknown },
  ) {
    super(code, message, {
      statusCode: options.statusCode ?? 502,
      retryable: options.retryable,
      details: { provider },
      cause: options.cause,
    });
    this.provider = provider;
    this.customerMessage =
      options.customerMessage ??
      'We could not complete this step right now. Please try again later.';
  }
}

/**
 * Converts a zod error from parsing a request or event into a `ValidationError`, with dotted
 * paths such as `lines.0.quantity`. Use it only for input from a caller, because a zod error on
 * data that the service produced itself is a fault, not a 400.
 */
export function validationErrorFromZod(error: z.ZodError): ValidationError {
  return new ValidationError(
    error.issues.map((issue) => ({
      path: formatFieldPath(issue.path),
      message: issue.message,
    })),
  );
}

/** Joins field issues into one message such as `lines.0.quantity: must be at least 1`. */
export function describeIssues(issues: FieldIssue[]): string {
  return issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ');
}

/**
 * Returns true for a retryable `ProviderError`: the provider is down, slow, rate limiting or
 * skipped by an open circuit breaker, so the same call should succeed once it recovers.
 */
export function isProviderUnavailable(error: unknown): boolean {
  return error instanceof ProviderError && error.retryable;
}

/** Tells whether an error may succeed on retry; unknown errors count as transient faults. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof AppError) return error.retryable;
  return true;
}
