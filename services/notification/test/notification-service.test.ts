import { randomUUID } from 'node:crypto';
import type { CheckoutOrder, EventData, EventType } from '@orderflow/contracts';
import { startSandbox, type RunningSandbox } from '@orderflow/sandbox';
import type { RunningService } from '@orderflow/service-kit';
import { SERVICE_TEST_WAIT_MS, ServiceTestBed, waitFor } from '@orderflow/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNotificationService } from '../src/index.js';

const INPUT_TYPES = [
  'order.created',
  'payment.captured',
  'payment.failed',
  'payment.authentication_required',
  'shipment.address_rejected',
  'shipment.freight_required',
  'fraud.assessed',
  'shipment.label_created',
] as const satisfies readonly EventType[];

const OUTPUT_TYPES = ['notification.sent', 'notification.failed'] as const;

/** Creates the test bed of one describe block, with the service's topics and group. */
function notificationTestBed(): ServiceTestBed {
  return new ServiceTestBed('notification', INPUT_TYPES, OUTPUT_TYPES, 'notification');
}

/** Starts the service in-process against the bed's topics and database and the sandbox. */
function startService(bed: ServiceTestBed, sandbox: RunningSandbox): Promise<RunningService> {
  return startNotificationService({
    env: bed.serviceEnv({ SANDBOX_URL: sandbox.url }),
    ownsProcess: false,
    tracing: false,
  });
}

/** Returns a valid checkout order with a fresh order id, a unique email and an optional phone. */
function checkoutOrder(options: { phone?: string } = {}): CheckoutOrder {
  const orderId = `N-${randomUUID().slice(0, 8)}`;
  return {
    orderId,
    placedAt: '2019-01-03T00:00:00Z',
    currency: 'USD',
    shipMode: 'Standard Class',
    customer: {
      id: `C-${orderId}`,
      email: `${orderId.toLowerCase()}@example.com`,
      ...(options.phone ? { phone: options.phone } : {}),
      segment: 'Consumer',
    },
    shipTo: {
      street: '798 Hillcrest Road',
      city: 'Houston',
      region: 'TX',
      postalCode: '77095',
      country: 'US',
    },
    lines: [
      {
        productId: 'OFF-PA-10000174',
        name: 'Message Book',
        quantity: 2,
        discountRate: 0.2,
        lineTotalMinor: 1645,
      },
    ],
    totals: { subtotalMinor: 1645 },
    payment: { paymentMethodId: 'pm_sandbox_4242abcd' },
  };
}

let phonesIssued = 0;

/**
 * Returns the next number of the fiction range +1 202 555-0100 to 0199, which Twilio's sandbox
 * accepts. Each sandbox lives for one test file, so 100 numbers per file are enough.
 */
function fictionPhone(): string {
  const suffix = String(phonesIssued++ % 100).padStart(2, '0');
  return `+120255501${suffix}`;
}

function captured(orderId: string, amountMinor = 1777): EventData<'payment.captured'> {
  return {
    orderId,
    paymentIntentId: `pi_${orderId}`,
    amountMinor,
    currency: 'USD',
    capturedAt: '2019-01-03T00:05:00Z',
  };
}

/** Emails the SendGrid sandbox stored for one address. */
async function emailsTo(
  sandbox: RunningSandbox,
  address: string,
): Promise<{ subject?: string; text?: string }[]> {
  const url = `${sandbox.url}/_sandbox/sendgrid/messages?to=${encodeURIComponent(address)}`;
  const body = (await (await fetch(url)).json()) as { messages: { subject?: string }[] };
  return body.messages;
}

/** SMS the Twilio sandbox stored for one number. */
async function smsTo(sandbox: RunningSandbox, phone: string): Promise<{ body: string }[]> {
  const url = `${sandbox.url}/_sandbox/twilio/messages?to=${encodeURIComponent(phone)}`;
  const body = (await (await fetch(url)).json()) as { messages: { body: string }[] };
  return body.messages;
}

/** Queues failures for the next requests to one provider of the sandbox. */
async function injectFault(
  sandbox: RunningSandbox,
  provider: 'sendgrid' | 'twilio',
  fault: { statusCode: number; count: number },
): Promise<void> {
  const response = await fetch(`${sandbox.url}/_sandbox/${provider}/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (response.status !== 201) throw new Error(`fault injection returned ${response.status}`);
}

describe('notification service', () => {
  const bed = notificationTestBed();
  let sandbox: RunningSandbox;
  let service: RunningService;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    await bed.start();
    service = await startService(bed, sandbox);
  });

  afterAll(async () => {
    await service?.stop();
    await bed.stop();
    await sandbox?.close();
  });

  async function waitForSent(orderId: string, count: number): Promise<void> {
    await bed.waitForEvents('notification.sent', orderId, count);
  }

  it('confirms a captured order by email and SMS', async () => {
    const phone = fictionPhone();
    const order = checkoutOrder({ phone });
    await bed.publishNewEvent('order.created', order);
    await bed.publishNewEvent('payment.captured', captured(order.orderId, 2193));
    await waitForSent(order.orderId, 2);

    const sent = bed.eventsFor('notification.sent', order.orderId);
    const email = sent.find((event) => event.data.channel === 'email');
    const sms = sent.find((event) => event.data.channel === 'sms');
    expect(email?.data.template).toBe('order_confirmation');
    expect(email?.data.recipientHint).toBe(`${order.orderId[0]!.toLowerCase()}***@example.com`);
    expect(sms?.data.template).toBe('order_confirmation');
    expect(sms?.data.recipientHint).toBe(`${phone.slice(0, -4)}****`);

    const emails = await emailsTo(sandbox, order.customer.email);
    expect(emails).toHaveLength(1);
    expect(emails[0]?.subject).toBe(`Your order ${order.orderId} is confirmed`);
    expect(emails[0]?.text).toContain('$21.93');
    const texts = await smsTo(sandbox, phone);
    expect(texts).toHaveLength(1);
    expect(texts[0]?.body).toContain('$21.93');
  });

  it('sends no second email for a redelivered capture', async () => {
    const phone = fictionPhone();
    const order = checkoutOrder({ phone });
    await bed.publishNewEvent('order.created', order);
    const capture = await bed.publishNewEvent('payment.captured', captured(order.orderId));
    await waitForSent(order.orderId, 2);

    await bed.publish(capture);
    const repeated = await bed.publishNewEvent('payment.captured', captured(order.orderId));
    // Both captures have the order's key and share a partition, so the service handles the
    // redelivery before the repeated capture.
    await bed.handled(repeated.id);

    expect(await emailsTo(sandbox, order.customer.email)).toHaveLength(1);
    expect(await smsTo(sandbox, phone)).toHaveLength(1);
    expect(await bed.emittedCount('notification.sent', order.orderId)).toBe(2);
    expect(bed.eventsFor('notification.sent', order.orderId)).toHaveLength(2);
  });

  it('records a failed SMS and keeps the email', async () => {
    // Twilio's magic number that always fails with error 21211, invalid number.
    const order = checkoutOrder({ phone: '+15005550001' });
    await bed.publishNewEvent('order.created', order);
    await bed.publishNewEvent('payment.captured', captured(order.orderId));
    const failures = await bed.waitForEvents('notification.failed', order.orderId, 1);

    expect(failures).toHaveLength(1);
    const failed = failures[0]!;
    expect(failed.data.channel).toBe('sms');
    expect(failed.data.template).toBe('order_confirmation');
    expect(failed.data.reason).toContain('SMS_RECIPIENT_INVALID');
    expect(failed.data.reason).not.toContain('+15005550001');
    const sent = bed.eventsFor('notification.sent', order.orderId);
    expect(sent.map((event) => event.data.channel)).toEqual(['email']);
    expect(await emailsTo(sandbox, order.customer.email)).toHaveLength(1);
  });

  it('retries the event when the email provider fails', async () => {
    const phone = fictionPhone();
    const order = checkoutOrder({ phone });
    await bed.publishNewEvent('order.created', order);
    await waitFor(
      async () =>
        (await service.app.inject(`/v1/notifications/${order.orderId}`)).statusCode === 200,
      {
        timeoutMs: SERVICE_TEST_WAIT_MS,
        description: 'order contact stored',
      },
    );
    // Three 503s use up the adapter's three attempts, so the consumer retries the event.
    await injectFault(sandbox, 'sendgrid', { statusCode: 503, count: 3 });
    await bed.publishNewEvent('payment.captured', captured(order.orderId));
    await waitForSent(order.orderId, 2);

    expect(await emailsTo(sandbox, order.customer.email)).toHaveLength(1);
    expect(await smsTo(sandbox, phone)).toHaveLength(1);
    expect(bed.eventsFor('notification.failed', order.orderId)).toHaveLength(0);
  });

  it('skips a suppressed email address', async () => {
    const phone = fictionPhone();
    const order = checkoutOrder({ phone });
    await bed.db('suppressions').insert({
      channel: 'email',
      address: order.customer.email,
      reason: 'hard bounce',
    });
    await bed.publishNewEvent('order.created', order);
    await bed.publishNewEvent('payment.captured', captured(order.orderId));
    await waitForSent(order.orderId, 1);
    const failures = await bed.waitForEvents('notification.failed', order.orderId, 1);

    expect(failures).toHaveLength(1);
    const failed = failures[0]!;
    expect(failed.data.channel).toBe('email');
    expect(failed.data.reason).toBe('recipient is suppressed: hard bounce');
    expect(bed.eventsFor('notification.sent', order.orderId)[0]?.data.channel).toBe('sms');
    expect(await emailsTo(sandbox, order.customer.email)).toHaveLength(0);
  });

  it('passes on the payment failure reason', async () => {
    const phone = fictionPhone();
    const order = checkoutOrder({ phone });
    const customerMessage = 'Your card has insufficient funds. Please use another card.';
    await bed.publishNewEvent('order.created', order);
    await bed.publishNewEvent('payment.failed', {
      orderId: order.orderId,
      stage: 'authorize',
      code: 'card_declined',
      declineCode: 'insufficient_funds',
      customerMessage,
      amountMinor: 1645,
      currency: 'USD',
    });
    await waitForSent(order.orderId, 2);

    const [email] = await emailsTo(sandbox, order.customer.email);
    expect(email?.text).toContain(customerMessage);
    expect(email?.text).toContain('$16.45');
    const [sms] = await smsTo(sandbox, phone);
    expect(sms?.body).toContain(customerMessage);
    const templates = bed.eventsFor('notification.sent', order.orderId).map((e) => e.data.template);
    expect(templates).toEqual(['payment_failed', 'payment_failed']);
  });

  it('tells the customer by email and SMS that an order needs freight', async () => {
    const phone = fictionPhone();
    const order = checkoutOrder({ phone });
    const customerMessage =
      'This order would fill 267 parcels, more than the 100 that one parcel shipment can hold.';
    await bed.publishNewEvent('order.created', order);
    await bed.publishNewEvent('shipment.freight_required', {
      orderId: order.orderId,
      reason: 'too_many_parcels',
      estimatedWeightOz: 640_000,
      parcels: 267,
      customerMessage,
    });
    await waitForSent(order.orderId, 2);

    const [email] = await emailsTo(sandbox, order.customer.email);
    expect(email?.subject).toContain('freight');
    expect(email?.text).toContain(customerMessage);
    expect(email?.text).toContain('not charged');
    const [sms] = await smsTo(sandbox, phone);
    expect(sms?.body).toContain(customerMessage);
    const templates = bed.eventsFor('notification.sent', order.orderId).map((e) => e.data.template);
    expect(templates).toEqual(['freight_required', 'freight_required']);
  });

  it('emails review and block decisions only', async () => {
    const reviewed = checkoutOrder({ phone: fictionPhone() });
    const blocked = checkoutOrder();
    const approved = checkoutOrder();
    for (const order of [reviewed, blocked, approved]) {
      await bed.publishNewEvent('order.created', order);
    }
    const assessment = { score: 0.5, reasons: [] };
    await bed.publishNewEvent('fraud.assessed', {
      orderId: reviewed.orderId,
      decision: 'review',
      ...assessment,
    });
    await bed.publishNewEvent('fraud.assessed', {
      orderId: blocked.orderId,
      decision: 'block',
      ...assessment,
    });
    const approval = await bed.publishNewEvent('fraud.assessed', {
      orderId: approved.orderId,
      decision: 'approve',
      ...assessment,
    });
    await waitForSent(reviewed.orderId, 1);
    await waitForSent(blocked.orderId, 1);
    // An approval sends nothing, so its inbox row is the only sign that it was handled.
    await bed.handled(approval.id);

    // Each outbox count covers both channels, which one transaction sends.
    expect(await bed.emittedCount('notification.sent', reviewed.orderId)).toBe(1);
    expect(await bed.emittedCount('notification.sent', blocked.orderId)).toBe(1);
    expect(await bed.emittedCount('notification.sent', approved.orderId)).toBe(0);
    const reviewSent = bed.eventsFor('notification.sent', reviewed.orderId);
    expect(reviewSent.map((event) => [event.data.template, event.data.channel])).toEqual([
      ['order_in_review', 'email'],
    ]);
    const [blockEmail] = await emailsTo(sandbox, blocked.customer.email);
    expect(blockEmail?.subject).toBe(`Your order ${blocked.orderId} was cancelled`);
    expect(bed.eventsFor('notification.sent', approved.orderId)).toHaveLength(0);
    expect(await emailsTo(sandbox, approved.customer.email)).toHaveLength(0);
  });

  it('emails the tracking code of a new label', async () => {
    const order = checkoutOrder({ phone: fictionPhone() });
    await bed.publishNewEvent('order.created', order);
    await bed.publishNewEvent('shipment.label_created', {
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

    const [email] = await emailsTo(sandbox, order.customer.email);
    expect(email?.text).toContain('USPS');
    expect(email?.text).toContain('9400100000000000000000');
    expect(bed.eventsFor('notification.sent', order.orderId)[0]?.data.template).toBe(
      'shipping_update',
    );
  });

  it('lists the communication log of an order', async () => {
    const phone = fictionPhone();
    const order = checkoutOrder({ phone });
    await bed.publishNewEvent('order.created', order);
    await bed.publishNewEvent('shipment.address_rejected', {
      orderId: order.orderId,
      field: 'shipTo.postalCode',
      customerMessage: 'The postal code does not match the city. Please check it.',
    });
    await waitForSent(order.orderId, 2);

    const response = await fetch(`${service.url}/v1/notifications/${order.orderId}`);
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
    const response = await fetch(`${service.url}/v1/notifications/UNKNOWN-1`);
    expect(response.status).toBe(404);
  });
});

describe('notification service started after its input', () => {
  const bed = notificationTestBed();
  let sandbox: RunningSandbox;
  let service: RunningService;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    await bed.start();
  });

  afterAll(async () => {
    await service?.stop();
    await bed.stop();
    await sandbox?.close();
  });

  it('defers an early capture until the order contact is stored', async () => {
    const order = checkoutOrder();
    service = await startService(bed, sandbox);
    const capture = await bed.publishNewEvent('payment.captured', captured(order.orderId));
    // The order is not published yet, so the service defers the capture.
    await bed.handled(capture.id);
    expect(await bed.isDeferred(capture.id)).toBe(true);
    await bed.publishNewEvent('order.created', order);

    await bed.waitForEvents('notification.sent', order.orderId, 1);
    expect(bed.eventsFor('notification.sent', order.orderId)).toHaveLength(1);
    expect(await emailsTo(sandbox, order.customer.email)).toHaveLength(1);
    expect(await bed.isDeferred(capture.id)).toBe(false);
  });
});
