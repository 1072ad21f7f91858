import { ProviderError } from '@orderflow/service-kit';
import twilio from 'twilio';

const PROVIDER = 'twilio';

/**
 * Twilio error codes that mean this recipient cannot get an SMS: invalid number (21211), not a
 * mobile number (21614), unreachable (21612), unsubscribed (21610), region not enabled (21408).
 */
export const RECIPIENT_ERROR_CODES: ReadonlySet<number> = new Set([
  21211, 21614, 21612, 21610, 21408,
]);

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
 * Classifies an error from the Twilio SDK. HTTP 429 and 5xx and network failures are retryable.
 * Other HTTP errors are final. Messages carry Twilio's error code and never Twilio's text,
 * which repeats the phone number.
 *
 * The original error never becomes the `cause`: an axios error carries the request headers,
 * and so the auth token.
 */
export function twilioError(error: unknown): ProviderError {
  if (error instanceof twilio.RestException) return fromRestException(error);

  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) {
    return new ProviderError(
      PROVIDER,
      'PROVIDER_UNAVAILABLE',
      `Twilio could not be reached (${code})`,
      {
        retryable: true,
      },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ProviderError(
    PROVIDER,
    'PROVIDER_REQUEST_INVALID',
    `the SMS request is invalid: ${reason}`,
    {
      retryable: false,
    },
  );
}

function fromRestException(error: InstanceType<typeof twilio.RestException>): ProviderError {
  const detail = `Twilio error ${error.code ?? 'none'}, HTTP ${error.status}${error.moreInfo ? `, ${error.moreInfo}` : ''}`;

  if (error.status === 429) {
    return new ProviderError(
      PROVIDER,
      'PROVIDER_RATE_LIMITED',
      `Twilio rate limit reached (${detail})`,
      {
        retryable: true,
        statusCode: 503,
      },
    );
  }
  if (error.status >= 500) {
    return new ProviderError(PROVIDER, 'PROVIDER_UNAVAILABLE', `Twilio failed (${detail})`, {
      retryable: true,
    });
  }
  if (error.status === 401 || error.status === 403) {
    return new ProviderError(
      PROVIDER,
      'PROVIDER_AUTH_FAILED',
      `Twilio rejected the credentials (${detail})`,
      {
        retryable: false,
      },
    );
  }
  if (error.code !== undefined && RECIPIENT_ERROR_CODES.has(error.code)) {
    return new ProviderError(
      PROVIDER,
      'SMS_RECIPIENT_INVALID',
      `the recipient cannot receive SMS (${detail})`,
      {
        retryable: false,
        statusCode: 422,
        customerMessage: 'We could not send a text message to this phone number. Please check it.',
      },
    );
  }
  return new ProviderError(PROVIDER, 'SMS_REJECTED', `Twilio rejected the SMS (${detail})`, {
    retryable: false,
  });
}
