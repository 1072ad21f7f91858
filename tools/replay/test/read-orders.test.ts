import { describe, expect, it } from 'vitest';
import { formatIssue, parseReplayOrders } from '../src/read-orders.js';
import { dataSetLine, dataSetObject, firstDataSetLines, SAMPLE_ORDERS } from './fixtures.js';

const RUN = { runId: 'rtest1' };

function withChange(change: (order: Record<string, any>) => void): string {
  const order = dataSetObject(SAMPLE_ORDERS.captured);
  change(order);
  return JSON.stringify(order);
}

describe('parseReplayOrders', () => {
  it('accepts the first lines of the data set', () => {
    const text = firstDataSetLines(50).join('\n');

    const parsed = parseReplayOrders(text, RUN);

    expect(parsed.issues).toEqual([]);
    expect(parsed.orders).toHaveLength(50);
    expect(parsed.orders[0]?.lineNumber).toBe(1);
    expect(parsed.orders[0]?.order.orderId).toBe('US-2019-103800');
    expect(parsed.orders[0]?.order.expected).toBe('captured');
  });

  it('accepts risky, Canadian and phoneless orders', () => {
    const text = [SAMPLE_ORDERS.risky, SAMPLE_ORDERS.canadian, SAMPLE_ORDERS.noPhone]
      .map(dataSetLine)
      .join('\n');

    const parsed = parseReplayOrders(text, RUN);

    expect(parsed.issues).toEqual([]);
    expect(parsed.orders.map((entry) => entry.order.expected)).toEqual([
      'fraud_review_or_block',
      'held_for_address',
      'captured',
    ]);
  });

  it('reports bad lines with line numbers and keeps the others', () => {
    const text = [
      dataSetLine(SAMPLE_ORDERS.captured),
      '{"orderId": "broken",',
      withChange((order) => {
        order.orderId = 'US-2019-999999';
        order.lines[0].lineTotal = '16.455';
      }),
      '',
      withChange((order) => {
        order.orderId = 'US-2019-999998';
        delete order.expected;
      }),
      dataSetLine(SAMPLE_ORDERS.threeLines),
    ].join('\n');

    const parsed = parseReplayOrders(text, RUN);

    expect(parsed.orders.map((entry) => entry.lineNumber)).toEqual([1, 6]);
    expect(parsed.issues).toEqual([
      { lineNumber: 2, field: '', message: expect.stringContaining('is not valid JSON') },
      {
        lineNumber: 3,
        field: 'lines.0.lineTotal',
        message: '"16.455" has more than 2 decimals for USD',
      },
      { lineNumber: 5, field: 'expected', message: expect.any(String) },
    ]);
  });

  it('reports each invalid field of a line', () => {
    const text = withChange((order) => {
      order.currency = 'XYZ';
      order.shipTo.country = 'us';
      order.synthetic.email = 'not-an-email';
      order.lines[0].quantity = 0;
    });

    const fields = parseReplayOrders(text, RUN).issues.map((issue) => issue.field);

    expect(fields).toContain('currency');
    expect(fields).toContain('shipTo.country');
    expect(fields).toContain('synthetic.email');
    expect(fields).toContain('lines.0.quantity');
  });

  it('never echoes a card number in an issue', () => {
    const cardLike = '4242 4242 4242 4242';
    const badCard = withChange((order) => (order.synthetic.card = cardLike));
    const badJson = `{"orderId": "x", "synthetic": {"card": "4242424242424242"`;

    const parsed = parseReplayOrders([badCard, badJson].join('\n'), RUN);

    expect(parsed.issues).toHaveLength(2);
    for (const issue of parsed.issues) {
      expect(issue.message).not.toContain('4242');
    }
    expect(parsed.issues[0]?.field).toBe('synthetic.card');
  });

  it('rejects a repeated order id', () => {
    const line = dataSetLine(SAMPLE_ORDERS.captured);

    const parsed = parseReplayOrders([line, line].join('\n'), RUN);

    expect(parsed.orders).toHaveLength(1);
    expect(parsed.issues).toEqual([
      { lineNumber: 2, field: 'orderId', message: 'repeats the order id of line 1' },
    ]);
  });

  it('rejects an order id without room for the run suffix', () => {
    const text = withChange((order) => (order.orderId = 'A'.repeat(60)));

    const parsed = parseReplayOrders(text, RUN);

    expect(parsed.issues).toEqual([
      {
        lineNumber: 1,
        field: 'orderId',
        message: 'must be at most 57 characters, so that the run suffix fits in 64',
      },
    ]);
  });

  it('reports contract violations of the converted order', () => {
    const text = withChange((order) => (order.synthetic.phone = '202-555-0106'));

    const parsed = parseReplayOrders(text, RUN);

    expect(parsed.issues.map((issue) => issue.field)).toEqual(['checkout.customer.phone']);
  });

  it('reads only the first lines up to the limit', () => {
    const text = [...firstDataSetLines(3), 'not json'].join('\n');

    const parsed = parseReplayOrders(text, { ...RUN, limit: 3 });

    expect(parsed.orders).toHaveLength(3);
    expect(parsed.issues).toEqual([]);
  });
});

describe('formatIssue', () => {
  it('names the line and the field', () => {
    const text = formatIssue({ lineNumber: 12, field: 'lines.0.lineTotal', message: 'is invalid' });

    expect(text).toBe('line 12: lines.0.lineTotal: is invalid');
  });

  it('leaves out an empty field', () => {
    expect(formatIssue({ lineNumber: 3, field: '', message: 'is not valid JSON' })).toBe(
      'line 3: is not valid JSON',
    );
  });
});
