/**
 * Stripe's idempotency rules for POST requests. The first response for a key is saved and
 * replayed for a retry with the same parameters. The same key with other parameters, or on
 * another endpoint, is rejected. Keys are scoped to the API key and expire after 24 hours.
 */

export const IDEMPOTENCY_LIMITS = {
  ttlMs: 24 * 60 * 60 * 1000,
  maxKeyLength: 255,
} as const;

export interface SavedResponse {
  statusCode: number;
  /** The response body as sent, so that a replay returns the object as it was then. */
  body: string;
}

interface Entry {
  endpoint: string;
  fingerprint: string;
  savedAtMs: number;
  response: SavedResponse;
}

export type IdempotencyLookup =
  | { kind: 'new' }
  | { kind: 'replay'; response: SavedResponse }
  | { kind: 'parameter_mismatch' }
  | { kind: 'endpoint_mismatch'; firstEndpoint: string };

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  /** `now` is read on every call, so tests can move the clock with fake timers. */
  constructor(private readonly now: () => number = () => Date.now()) {}

  lookup(apiKey: string, key: string, endpoint: string, fingerprint: string): IdempotencyLookup {
    const entry = this.entries.get(this.scopedKey(apiKey, key));
    if (!entry || this.isExpired(entry)) return { kind: 'new' };
    if (entry.endpoint !== endpoint) {
      return { kind: 'endpoint_mismatch', firstEndpoint: entry.endpoint };
    }
    if (entry.fingerprint !== fingerprint) return { kind: 'parameter_mismatch' };
    return { kind: 'replay', response: entry.response };
  }

  save(
    apiKey: string,
    key: string,
    endpoint: string,
    fingerprint: string,
    response: SavedResponse,
  ): void {
    this.dropExpired();
    const scopedKey = this.scopedKey(apiKey, key);
    // Deleting first moves the key to the end, which keeps the map ordered by save time.
    this.entries.delete(scopedKey);
    this.entries.set(scopedKey, {
      endpoint,
      fingerprint,
      savedAtMs: this.now(),
      response,
    });
  }

  private isExpired(entry: Entry): boolean {
    return this.now() - entry.savedAtMs >= IDEMPOTENCY_LIMITS.ttlMs;
  }

  /** Drops expired entries from the front of the map, which is ordered by save time. */
  private dropExpired(): void {
    for (const [scopedKey, entry] of this.entries) {
      if (!this.isExpired(entry)) return;
      this.entries.delete(scopedKey);
    }
  }

  private scopedKey(apiKey: string, key: string): string {
    return `${apiKey}\u0000${key}`;
  }
}
