import { ProviderError } from '@orderflow/service-kit';

const PROVIDER = 'sift';

/** Sift status codes that change how a failure is classified. */
export const SIFT_STATUS = {
  ok: 0,
  invalidApiKey: 51,
  rateLimited: 60,
} as const;

/** The fields of a Sift error body that the client reads. */
export interface SiftErrorBody {
  status?: number;
  error_message?: string;
}

/**
 * Classifies a failed Sift response. Rate limits (HTTP 429 or status 60), HTTP 5xx and negative
 * Sift statuses are retryable. Everything else, a bad API key included, is final.
 */
export function siftResponseError(httpStatus: number, body: SiftErrorBody): ProviderError {
  const siftStatus = body.status;
  const detail = `${body.error_message ?? 'no error message'} (Sift status ${siftStatus ?? 'none'}, HTTP ${httpStatus})`;

  if (httpStatus === 429 || siftStatus === SIFT_STATUS.rateLimited) {
    return new ProviderError(
      PROVIDER,
      'PROVIDER_RATE_LIMITED',
      `Sift rate limit reached: ${detail}`,
      {
        retryable: true,
        statusCode: 503,
      },
    );
  }
  if (httpStatus >= 500 || (siftStatus !== undefined && siftStatus < 0)) {
    return new ProviderError(PROVIDER, 'PROVIDER_UNAVAILABLE', `Sift failed: ${detail}`, {
      retryable: true,
    });
  }
  if (siftStatus === SIFT_STATUS.invalidApiKey || httpStatus === 401 || httpStatus === 403) {
    return new ProviderError(
      PROVIDER,
      'PROVIDER_AUTH_FAILED',
      `Sift rejected the API key: ${detail}`,
      {
        retryable: false,
      },
    );
  }
  return new ProviderError(PROVIDER, 'PROVIDER_REJECTED', `Sift rejected the event: ${detail}`, {
    retryable: false,
  });
}

/** Builds the retryable error for a connection failure, reset or DNS error before any response. */
export function siftNetworkError(error: unknown): ProviderError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ProviderError(
    PROVIDER,
    'PROVIDER_UNAVAILABLE',
    `Sift could not be reached: ${reason}`,
    {
      retryable: true,
      cause: error,
    },
  );
}
