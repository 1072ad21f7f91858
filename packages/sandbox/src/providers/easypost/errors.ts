/** Errors in EasyPost's shape: `{ error: { code, message, errors: [{ field, message, ... }] } }`. */

export interface FieldError {
  field: string;
  message: string;
  code?: string;
  suggestion?: string | null;
}

export class EasyPostApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }

  toBody(): { error: { code: string; message: string; errors: FieldError[] } } {
    return { error: { code: this.code, message: this.message, errors: this.errors } };
  }
}

export function notFound(resource: string, id: string): EasyPostApiError {
  return new EasyPostApiError(
    404,
    'NOT_FOUND',
    `The requested ${resource} ${id} could not be found.`,
  );
}

/** Returns a 422 error for a missing or invalid parameter at the dotted path `field`. */
export function invalidParameter(code: string, field: string, message: string): EasyPostApiError {
  return new EasyPostApiError(422, code, `Invalid parameter ${field}: ${message}`, [
    { field, message },
  ]);
}

/** Returns the body for a fault injected by a test, by status code. */
export function faultBody(statusCode: number): ReturnType<EasyPostApiError['toBody']> {
  const code =
    statusCode === 429
      ? 'RATE_LIMITED'
      : statusCode >= 500
        ? 'INTERNAL_SERVER_ERROR'
        : 'BAD_REQUEST';
  return new EasyPostApiError(
    statusCode,
    code,
    `The sandbox returned an injected ${statusCode} response.`,
  ).toBody();
}
