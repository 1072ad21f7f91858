import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

type RequestClientOptions = ConstructorParameters<typeof twilio.RequestClient>[0];

/**
 * Twilio's own HTTP client with every request sent to one base URL. The SDK has no base URL
 * option: it builds absolute URLs on Twilio hosts such as `https://api.twilio.com`, and rewrites
 * the host when a region or edge is set, even from `TWILIO_REGION` or `TWILIO_EDGE`. This client
 * keeps the path and query of each URL and replaces everything before them, so no request can
 * reach a host other than `baseUrl`.
 */
export class PinnedRequestClient extends twilio.RequestClient {
  private readonly base: URL;

  constructor(baseUrl: string, options?: RequestClientOptions) {
    super(options);
    this.base = new URL(baseUrl);
  }

  override request<TData>(options: RequestClient.RequestOptions<TData>) {
    return super.request<TData>({ ...options, uri: this.rebase(options.uri) });
  }

  /** Moves a Twilio URL onto the base URL, after any path prefix that the base URL has. */
  rebase(uri: string): string {
    const target = new URL(uri);
    const prefix = this.base.pathname.replace(/\/+$/, '');
    return `${this.base.origin}${prefix}${target.pathname}${target.search}`;
  }
}
