import { waitFor } from '@orderflow/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationHarness, captured, checkoutOrder, fictionPhone } from './service-harness.js';

const WAIT = { timeoutMs: 20_000 } as const;

describe('notification service', () => {
  let harness: NotificationHarness;

  beforeAll(async () => {
    harness = await NotificationHarness.start();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  async function waitForSent(orderId: string, count: number): Promise<void> {
    await waitFor(() => harness.emittedFor('notification.sent', orderId).length >= count, {
      ...WAIT,
      description: `${count} notification.sent events for ${orderId}`,
    });
  }

  it('confirms a captured order by email and SMS', async () => {
    const phone = fictionPhone();
    const order = checkoutOrder({ phone });
    await harness.publish('order.created', order);
    await harness.publish('payment.captured', captured(order.orderId, 2193));
    await waitForSent(order.orderId, 2);

    const sent = harness.emittedFor('notification.sent', order.orderId);
    const email = sent.find((event) => event.data.channel === 'email');
    const sms = sent.find((event) => event.data.channel === 'sms');
    expect(email?.data.template).toBe('order_confirmation');
    expect(email?.data.recipientHint).toBe(`${order.orderId[0]!.toLowerCase()}***@example.com`);
    expect(sms?.data.template).toBe('order_confirmation');
    expect(sms?.data.recipientHint).toBe(`${phone.slice(0, -4)}****`);

    const emails = await harness.emailsTo(order.customer.email);
    expect(emails).toHaveLength(1);
    expect(emails[0]?.subject).toBe(`Your order ${order.orderId} is confirmed`);
    expect(emails[0]?.text).toContain('$21.93');
    const texts = await harness.smsTo(phone);
    expect(texts).toHaveLength(1);
    expect(texts[0]?.body).toContain('$21.93');
  });

  it('sends no second email for a redelivered capture', async () => {
    const phone = fictionPhone();
    const order = checkoutOrder({ phone });
    await harness.publish('order.created', order);
    const capture = await harness.publish('payment.captured', captured(order.orderId));
    await waitForSent(order.orderId, 2);

    const before = await harness.finishedMessages('payment.captured');
    await harness.republish(capture);
    await harness.publish('payment.captured', captured(order.orderId));
    await waitFor(async () => (await harness.finishedMessages('payment.captured')) === before + 2, {
      ...WAIT,
      description: 'redelivered and repeated captures consumed',
    });

    expect(await harness.emailsTo(order.customer.email)).toHaveLength(1);
    expect(await harness.smsTo(phone)).toHaveLength(1);
    expect(harness.emittedFor('notification.sent', order.orderId)).toHaveLength(2);
  });

  it('records a failed SMS and keeps the email', async () => {
    // Twilio's magic number that always fails with error 21211, invalid number.
    const order = checkoutOrder({ phone: '+15005550001' });
    await harness.publish('order.created', order);
    await harness.publish('payment.captured', captured(order.orderId));
    await waitFor(() => harness.emittedFor('notification.failed', order.orderId).length === 1, {
      ...WAIT,
      description: 'notification.failed for the SMS',
    });

    const failed = harness.emittedFor('notification.failed', order.orderId)[0]!;
    expect(failed.data.channel).toBe('sms');
    expect(failed.data.template).toBe('order_confirmation');
    expect(failed.data.reason).toContain('SMS_RECIPIENT_INVALID');
    expect(failed.data.reason).not.toContain('+15005550001');
    const sent = harness.emittedFor('notification.sent', order.orderId);
    expect(sent.map((event) => event.data.channel)).toEqual(['email']);
    expect(await harness.emailsTo(order.customer.email)).toHaveLength(1);
  });

  it('retries the event when the email provider fails', async () => {
    const phone = fictionPhone();
    const order = checkoutOrder({ phone });
    await harness.publish('order.created', order);
    await waitFor(
      async () =>
        (await harness.service.app.inject(`/v1/notifications/${order.orderId}`)).statusCode === 200,
      {
        ...WAIT,
        description: 'order contact stored',
      },
    );
    // Three 503s use up the adapter's three attempts, so the consumer retries the event.
    await harness.injectFault('sendgrid', { statusCode: 503, count: 3 });
    await harness.publish('payment.captured', captured(order.orderId));
    await waitForSent(order.orderId, 2);

    expect(await harness.emailsTo(order.customer.email)).toHaveLength(1);
    expect(await harness.smsTo(phone)).toHaveLength(1);
    expect(harness.emittedFor('notification.failed', order.orderId)).toHaveLength(0);
  });

  it('skips a suppressed email address', async () => {
    const phone = fictionPhone();
    const order = checkoutOrder({ phone });
    await harness.db('suppressions').insert({
      channel: 'email',
      address: order.customer.email,
      reason: 'hard bounce',
    });
    await harness.publish('order.created', order);
    await harness.publish('payment.captured', captured(order.orderId));
    await waitForSent(order.orderId, 1);
    await waitFor(() => harness.emittedFor('notification.failed', order.orderId).length === 1, {
      ...WAIT,
      description: 'notification.failed for the suppressed email',
    });

    const failed = harness.emittedFor('notification.failed', order.orderId)[0]!;
    expect(failed.data.channel).toBe('email');
    expect(failed.data.reason).toBe('recipient is suppressed: hard bounce');
    expect(harness.emittedFor('notification.sent', order.orderId)[0]?.data.channel).toBe('sms');
    expect(await harness.emailsTo(order.customer.email)).toHaveLength(0);
  });

  it('passes on the payment failure reason', async () => {
    const phone = fictionPhone();
    const order = checkoutOrder({ phone });
    const customerMessage = 'Your card has insufficient funds. Please use another card.';
    await harness.publish('order.created', order);
    await harness.publish('payment.failed', {
      orderId: order.orderId,
      stage: 'authorize',
      code: 'card_declined',
      declineCode: 'insufficient_funds',
      customerMessage,
      amountMinor: 1645,
      currency: 'USD',
    });
    await waitForSent(order.orderId, 2);

    const [email] = await harness.emailsTo(order.customer.email);
    expect(email?.text).toContain(customerMessage);
    expect(email?.text).toContain('$16.45');
    const [sms] = await harness.smsTo(phone);
    expect(sms?.body).toContain(customerMessage);
    const templates = harness
      .emittedFor('notification.sent', order.orderId)
      .map((e) => e.data.template);
    expect(templates).toEqual(['payment_failed', 'payment_failed']);
  });

  it('emails review and block decisions only', async () => {
    const reviewed = checkoutOrder({ phone: fictionPhone() });
    const blocked = checkoutOrder();
    const approved = checkoutOrder();
    for (const order of [reviewed, blocked, approved]) {
      await harness.publish('order.created', order);
    }
    const assessment = { score: 0.5, reasons: [] };
    await harness.publish('fraud.assessed', {
      orderId: reviewed.orderId,
      decision: 'review',
      ...assessment,
    });
    await harness.publish('fraud.assessed', {
      orderId: blocked.orderId,
      decision: 'block',
      ...assessment,
    });
    const before = await harness.finishedMessages('fraud.assessed');
    await harness.publish('fraud.assessed', {
      orderId: approved.orderId,
      decision: 'approve',
      ...assessment,
    });
    await waitForSent(reviewed.orderId, 1);
    await waitForSent(blocked.orderId, 1);
    await waitFor(async () => (await harness.finishedMessages('fraud.assessed')) >= before + 1, {
      ...WAIT,
      description: 'approved assessment consumed',
    });

    const reviewSent = harness.emittedFor('notification.sent', reviewed.orderId);
    expect(reviewSent.map((event) => [event.data.template, event.data.channel])).toEqual([
      ['order_in_review', 'email'],
    ]);
    const [blockEmail] = await harness.emailsTo(blocked.customer.email);
    expect(blockEmail?.subject).toBe(`Your order ${blocked.orderId} was cancelled`);
    expect(harness.emittedFor('notification.sent', approved.orderId)).toHaveLength(0);
    expect(await harness.emailsTo(approved.customer.email)).toHaveLength(0);
  });

  it('emails the tracking code of a new label', async () => {
    const order = checkoutOrder({ phone: fictionPhone() });
    await harness.publish('order.created', order);
    await harness.publish('shipment.label_created', {
      orderId: order.orderId,
      shipmentId: 'shp_1',
      carrier: 'USPS',
      service: 'Priority',
      trackingCode: '9400100000000000000000',
      labelUrl: 'http://127.0.0.1/label.png',
      rateMinor: 790,
      currency: 'USD',
    });
    await waitForSent(order.orderId, 1);

    const [email] = await harness.emailsTo(order.customer.email);
    expect(email?.text).toContain('USPS');
    expect(email?.text).toContain('9400100000000000000000');
    expect(harness.emittedFor('notification.sent', order.orderId)[0]?.data.template).toBe(
      'shipping_update',
    );
  });

  it('lists the communication log of an order', async () => {
    const phone = fictionPhone();
    const order = checkoutOrder({ phone });
    await harness.publish('order.created', order);
    await harness.publish('shipment.address_rejected', {
      orderId: order.orderId,
      field: 'shipTo.postalCode',
      customerMessage: 'The postal code does not match the city. Please check it.',
    });
    await waitForSent(order.orderId, 2);

    const response = await fetch(`${harness.service.url}/v1/notifications/${order.orderId}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      orderId: string;
      messages: { template: string; channel: string; status: string; recipientHint: string }[];
    };
    expect(body.orderId).toBe(order.orderId);
    expect(
      body.messages.map((message) => [message.template, message.channel, message.status]),
    ).toEqual([
      ['address_correction', 'email', 'sent'],
      ['address_correction', 'sms', 'sent'],
    ]);
    expect(JSON.stringify(body)).not.toContain(order.customer.email);
    expect(JSON.stringify(body)).not.toContain(phone);
  });

  it('returns 404 for an unknown order', async () => {
    const response = await fetch(`${harness.service.url}/v1/notifications/UNKNOWN-1`);
    expect(response.status).toBe(404);
  });
});

describe('notification service started after its input', () => {
  let harness: NotificationHarness;

  afterAll(async () => {
    await harness?.stop();
  });

  it('defers an early capture until the order contact is stored', async () => {
    harness = await NotificationHarness.create();
    const order = checkoutOrder();
    await harness.startService();
    await harness.publish('payment.captured', captured(order.orderId));
    // Give the consumer time to handle and park the capture before the order exists.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await harness.publish('order.created', order);

    await waitFor(() => harness.emittedFor('notification.sent', order.orderId).length === 1, {
      ...WAIT,
      description: 'order confirmation sent',
    });
    expect(await harness.emailsTo(order.customer.email)).toHaveLength(1);
  });
});
