/**
 * Errors in Stripe's shape: `{ error: { type, code, decline_code, message, param, ... } }`.
 * Route code throws `StripeApiError`, and the provider's error handler turns it into the response.
 */

export type StripeErrorType =
  | 'api_error'
  | 'card_error'
  | 'idempotency_error'
  | 'invalid_request_error'
  | 'authentication_error'
  | 'rate_limit_error';

export interface StripeErrorFields {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
  charge?: string;
}

export class StripeApiError extends Error {
  readonly statusCode: number;
  readonly fields: StripeErrorFields;
  /**
   * False for parameter errors found before the request started executing. Stripe saves no
   * idempotent result for those, so a corrected retry with the same key runs normally.
   */
  readonly savedForIdempotency: boolean;

  constructor(statusCode: number, fields: StripeErrorFields, savedForIdempotency = true) {
    super(fields.message);
    this.statusCode = statusCode;
    this.fields = fields;
    this.savedForIdempotency = savedForIdempotency;
  }

  /** Returns the JSON body Stripe sends for this error. */
  toBody(): { error: Record<string, unknown> } {
    const docUrl = this.fields.code
      ? `https://stripe.com/docs/error-codes/${this.fields.code.replace(/_/g, '-')}`
      : undefined;
    return { error: { ...this.fields, ...(docUrl ? { doc_url: docUrl } : {}) } };
  }
}

/** Returns the 400 error for a missing or invalid request parameter, which is not saved for idempotency. */
export function parameterError(
  param: string,
  message: string,
  code = 'parameter_invalid',
): StripeApiError {
  return new StripeApiError(400, { type: 'invalid_request_error', code, param, message }, false);
}

export function missingParameter(param: string): StripeApiError {
  return parameterError(param, `Missing required param: ${param}.`, 'parameter_missing');
}

export function resourceMissing(param: string, resource: string, id: string): StripeApiError {
  return new StripeApiError(
    404,
    {
      type: 'invalid_request_error',
      code: 'resource_missing',
      param,
      message: `No such ${resource}: '${id}'`,
    },
    false,
  );
}

/** Returns the body for a fault injected by a test, by status code. */
export function faultBody(statusCode: number): { error: Record<string, unknown> } {
  if (statusCode === 429) {
    return {
      error: {
        type: 'rate_limit_error',
        code: 'rate_limit',
        message: 'Too many requests hit the API too quickly. Retry with exponential backoff.',
      },
    };
  }
  return {
    error: {
      type: statusCode >= 500 ? 'api_error' : 'invalid_request_error',
      message: `The sandbox returned an injected ${statusCode} response.`,
    },
  };
}
