import { callWithPolicy } from '@orderflow/service-kit';
import type { Logger } from '@orderflow/service-kit';
import type { IPolicy } from 'cockatiel';
import {
  hubSpotNetworkError,
  hubSpotResponseError,
  type HubSpotErrorBody,
} from './hubspot-errors.js';

/** A response that the caller handles: any 2xx, or 409 when the call allows a conflict. */
export interface HubSpotResponse {
  status: number;
  body: Record<string, unknown>;
}

export interface HubSpotRequest {
  /** Short name of the operation for logs and errors, such as `contact search`. */
  operation: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  path: string;
  body?: unknown;
  /** Return a 409 response instead of throwing, so that the caller can read the conflict. */
  allowConflict?: boolean;
}

/** Sends HubSpot API requests with Bearer auth, each under the provider policy. */
export class HubSpotHttp {
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly accessToken: string,
    private readonly policy: IPolicy,
    private readonly log: Logger,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** Sends one request. Failures other than an allowed 409 throw ProviderError. */
  send(request: HubSpotRequest): Promise<HubSpotResponse> {
    return callWithPolicy(this.policy, 'hubspot', (signal) => this.attempt(request, signal));
  }

  private async attempt(request: HubSpotRequest, signal: AbortSignal): Promise<HubSpotResponse> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${request.path}`, {
        method: request.method,
        headers: {
          authorization: `Bearer ${this.accessToken}`,
          accept: 'application/json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      const failure = hubSpotNetworkError(request.operation, error);
      this.log.warn({ operation: request.operation, retryable: true }, 'hubspot request failed');
      throw failure;
    }

    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok || (response.status === 409 && request.allowConflict)) {
      return { status: response.status, body };
    }

    const failure = hubSpotResponseError(
      request.operation,
      response.status,
      body as HubSpotErrorBody,
    );
    this.log.warn(
      { operation: request.operation, httpStatus: response.status, retryable: failure.retryable },
      'hubspot request failed',
    );
    throw failure;
  }
}
