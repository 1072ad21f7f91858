/**
 * Errors in AvaTax's shape: `{ error: { code, message, target, details: [...] } }`. `target`
 * names who must act: `IncorrectData` (the request), `HttpRequestHeaders` (credentials),
 * `HttpRequest` (the URL) or `AvaTaxApiServer` (AvaTax itself).
 */

export type ErrorTarget =
  'IncorrectData' | 'HttpRequestHeaders' | 'HttpRequest' | 'AvaTaxApiServer';

export class AvaTaxApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly target: ErrorTarget,
    readonly description: string = message,
  ) {
    super(message);
  }

  toBody(): { error: Record<string, unknown> } {
    return {
      error: {
        code: this.code,
        message: this.message,
        target: this.target,
        details: [
          {
            code: this.code,
            message: this.message,
            description: this.description,
            faultCode: this.target === 'AvaTaxApiServer' ? 'Server' : 'Client',
            helpLink: `https://developer.avalara.com/avatax/errors/${this.code}`,
            severity: 'Error',
          },
        ],
      },
    };
  }
}

/** Returns a 400 error for a request field that is missing or invalid. The message names the field. */
export function incorrectData(code: string, message: string): AvaTaxApiError {
  return new AvaTaxApiError(400, code, message, 'IncorrectData');
}

/** Returns the body for a fault injected by a test, by status code. */
export function faultBody(statusCode: number): { error: Record<string, unknown> } {
  if (statusCode === 429) {
    return new AvaTaxApiError(
      429,
      'RateLimitExceeded',
      'Too many requests. Retry after a pause.',
      'HttpRequest',
    ).toBody();
  }
  if (statusCode >= 500) {
    return new AvaTaxApiError(
      statusCode,
      'ServerConfiguration',
      `The sandbox returned an injected ${statusCode} response.`,
      'AvaTaxApiServer',
    ).toBody();
  }
  return incorrectData(
    'ModelStateInvalid',
    `The sandbox returned an injected ${statusCode} response.`,
  ).toBody();
}
