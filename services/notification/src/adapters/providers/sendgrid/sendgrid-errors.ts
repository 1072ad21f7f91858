import { ProviderError } from '@orderflow/service-kit';

const PROVIDER = 'sendgrid';

/** The parts of `@sendgrid/client`'s ResponseError that the adapter reads. */
interface SendGridResponseError {
  code: number;
  response: { body?: { errors?: { message?: string; field?: string | null }[] } };
}

/** Axios error codes of requests that never got a response. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EPIPE',
  'ERR_NETWORK',
]);

/**
 * Classifies an error from `MailService.send`. HTTP 429 and 5xx and network failures are
 * retryable. Other HTTP errors and request-building errors are final.
 *
 * The original error never becomes the `cause`: an axios error carries the request headers,
 * and so the API key.
 */
export function sendGridError(error: unknown): ProviderError {
  if (isResponseError(error)) return fromResponse(error);

  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) {
    return new ProviderError(
      PROVIDER,
      'PROVIDER_UNAVAILABLE',
      `SendGrid could not be reached (${code})`,
      {
        retryable: true,
      },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ProviderError(
    PROVIDER,
    'PROVIDER_REQUEST_INVALID',
    `the email could not be built: ${reason}`,
    {
      retryable: false,
    },
  );
}

function fromResponse(error: SendGridResponseError): ProviderError {
  const status = error.code;
  const problems = (error.response.body?.errors ?? [])
    .map((problem) => (problem.field ? `${problem.field}: ${problem.message}` : problem.message))
    .join('; ');
  const detail = `HTTP ${status}${problems ? `: ${problems}` : ''}`;

  if (status === 429) {
    return new ProviderError(
      PROVIDER,
      'PROVIDER_RATE_LIMITED',
      `SendGrid rate limit reached (${detail})`,
      {
        retryable: true,
        statusCode: 503,
      },
    );
  }
  if (status >= 500) {
    return new ProviderError(PROVIDER, 'PROVIDER_UNAVAILABLE', `SendGrid failed (${detail})`, {
      retryable: true,
    });
  }
  if (status === 401 || status === 403) {
    return new ProviderError(
      PROVIDER,
      'PROVIDER_AUTH_FAILED',
      `SendGrid rejected the API key (${detail})`,
      {
        retryable: false,
      },
    );
  }
  return new ProviderError(PROVIDER, 'EMAIL_REJECTED', `SendGrid rejected the email (${detail})`, {
    retryable: false,
  });
}

function isResponseError(error: unknown): error is SendGridResponseError {
  const candidate = error as Partial<SendGridResponseError> | null;
  return typeof candidate?.code === 'number' && typeof candidate.response === 'object';
}
