import { ProviderError } from '@orderflow/service-kit';

const PROVIDER = 'hubspot';

/** The fields of a HubSpot error body that the client reads. */
export interface HubSpotErrorBody {
  message?: string;
  category?: string;
  errors?: { code?: string; context?: { propertyName?: string[] } }[];
}

/**
 * Classifies a failed HubSpot response. HTTP 429 and 5xx are retryable. Other errors are final.
 * Messages carry HubSpot's category and error codes but not its text, which can repeat
 * property values such as an email address.
 */
export function hubSpotResponseError(
  operation: string,
  httpStatus: number,
  body: HubSpotErrorBody,
): ProviderError {
  const codes = (body.errors ?? [])
    .map(
      (error) =>
        `${error.code ?? 'UNKNOWN'} on ${error.context?.propertyName?.join(',') ?? 'request'}`,
    )
    .join('; ');
  const detail = `HTTP ${httpStatus} ${body.category ?? 'no category'}${codes ? `: ${codes}` : ''}`;

  if (httpStatus === 429) {
    return new ProviderError(
      PROVIDER,
      'PROVIDER_RATE_LIMITED',
      `HubSpot rate limit reached during ${operation} (${detail})`,
      {
        retryable: true,
        statusCode: 503,
      },
    );
  }
  if (httpStatus >= 500) {
    return new ProviderError(
      PROVIDER,
      'PROVIDER_UNAVAILABLE',
      `HubSpot failed during ${operation} (${detail})`,
      {
        retryable: true,
      },
    );
  }
  if (httpStatus === 401 || httpStatus === 403) {
    return new ProviderError(
      PROVIDER,
      'PROVIDER_AUTH_FAILED',
      `HubSpot rejected the access token (${detail})`,
      {
        retryable: false,
      },
    );
  }
  return new ProviderError(
    PROVIDER,
    'PROVIDER_REJECTED',
    `HubSpot rejected ${operation} (${detail})`,
    {
      retryable: false,
    },
  );
}

/** Builds the retryable error for a connection failure before any response. */
export function hubSpotNetworkError(operation: string, error: unknown): ProviderError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ProviderError(
    PROVIDER,
    'PROVIDER_UNAVAILABLE',
    `HubSpot could not be reached during ${operation}: ${reason}`,
    {
      retryable: true,
      cause: error,
    },
  );
}
