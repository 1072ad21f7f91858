import { describe, expect, it } from 'vitest';
import { captureLogger } from './support/capture-logger.js';

describe('createLogger', () => {
  it('writes service, level and ISO time', () => {
    const { logger, lines } = captureLogger('payment');
    logger.info({ orderId: 'ord_1', amountMinor: 1999 }, 'payment captured');

    const [line] = lines;
    expect(line?.service).toBe('payment');
    expect(line?.level).toBe('info');
    expect(line?.msg).toBe('payment captured');
    expect(line?.amountMinor).toBe(1999);
    expect(new Date(String(line?.time)).toISOString()).toBe(line?.time);
  });

  it('redacts credentials at the top level and nested', () => {
    const { logger, lines } = captureLogger();
    logger.info(
      {
        apiKey: 'secret-1',
        provider: { apiKey: 'secret-2', licenseKey: 'secret-3', authToken: 'secret-4' },
        request: { body: { password: 'secret-5', token: 'secret-6', secret: 'secret-7' } },
      },
      'provider configured',
    );

    const output = JSON.stringify(lines);
    for (let index = 1; index <= 7; index++) {
      const secret = `secret-${index}`;
      expect(output).not.toContain(secret);
    }
    expect(lines[0]?.apiKey).toBe('[Redacted]');
  });

  it('redacts authorization and cookie headers', () => {
    const { logger, lines } = captureLogger();
    logger.info(
      { req: { headers: { authorization: 'Bearer abc', cookie: 'sid=1', host: 'x' } } },
      'request',
    );
    expect(lines[0]?.req).toEqual({
      headers: { authorization: '[Redacted]', cookie: '[Redacted]', host: 'x' },
    });
  });

  it('redacts card objects and card numbers', () => {
    const { logger, lines } = captureLogger();
    logger.info(
      {
        card: { number: '4242424242424242', expMonth: 12 },
        payment: { cardNumber: '4000000000000002', card: { number: '5555555555554444' } },
      },
      'payment attempted',
    );
    const output = JSON.stringify(lines);
    expect(output).not.toContain('4242424242424242');
    expect(output).not.toContain('4000000000000002');
    expect(output).not.toContain('5555555555554444');
  });

  it('keeps stack of err field', () => {
    const { logger, lines } = captureLogger();
    logger.error({ err: new Error('provider timed out') }, 'capture failed');
    const err = lines[0]?.err as { message: string; stack: string };
    expect(err.message).toBe('provider timed out');
    expect(err.stack).toContain('logger.test.ts');
  });
});
