import { containsCardNumber, redactCardNumbers } from '@orderflow/contracts';
import { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

/** Percent-decodes a URL for inspection; a URL that does not decode is inspected as sent. */
function decodedUrl(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

/** Tells whether the request URL, as sent or percent-decoded, contains a card number. */
export function urlContainsCardNumber(url: string): boolean {
  return containsCardNumber(url) || containsCardNumber(decodedUrl(url));
}

/**
 * Rejects every request whose URL contains something that looks like a payment card number with
 * 400 `CARD_NUMBER_IN_URL`, before routing, so no route echoes the number in a message or stores
 * it. The message does not repeat the URL.
 */
export function rejectCardNumbersInUrls(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (!urlContainsCardNumber(request.url)) return;
    throw new AppError(
      'CARD_NUMBER_IN_URL',
      'the URL looks like it contains a card number; never put card data in a URL, and send only the payment method token (pm_...) from the payment provider',
      { statusCode: 400, retryable: false },
    );
  });
}

/**
 * Request log lines whose URL has card-number-like runs replaced, because Fastify logs the URL of
 * every request before any hook can reject it.
 */
export class CardSafeLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    // Shaped like a request for Fastify's `req` serializer, with the URL redacted.
    const req = {
      method: request.method,
      url: redactCardNumbers(decodedUrl(request.url)),
      headers: request.headers,
      host: request.host,
      ip: request.ip,
      socket: request.socket,
    };
    request.log.info({ req }, 'incoming request');
  }
}
