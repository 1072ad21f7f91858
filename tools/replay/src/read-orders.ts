import { readFile } from 'node:fs/promises';
import { checkoutOrderSchema } from '@orderflow/contracts';
import type { z } from 'zod';
import { MAX_ORDER_ID_LENGTH, runOrderId, toCheckoutOrder } from './checkout-conversion.js';
import { replayOrderSchema, type NumberedReplayOrder } from './replay-order.js';

/** One invalid field of an input line. */
export interface InputIssue {
  /** 1-based line number in the input file. */
  lineNumber: number;
  /** Dotted path of the field, such as `lines.0.lineTotal`; empty for the whole line. */
  field: string;
  message: string;
}

/** The valid orders of an input file and the issues of the lines that were skipped. */
export interface ParsedOrders {
  orders: NumberedReplayOrder[];
  issues: InputIssue[];
}

/** Token of the right shape, used only to check converted orders against the contract. */
const PLACEHOLDER_PAYMENT_METHOD = 'pm_placeholder';

function dottedPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.');
}

function zodIssues(lineNumber: number, error: z.ZodError, prefix = ''): InputIssue[] {
  return error.issues.map((issue) => ({
    lineNumber,
    field: prefix + dottedPath(issue.path),
    message: issue.message,
  }));
}

/**
 * Parses one line as JSON. The parser's own message is not kept, because it quotes the input,
 * which may contain a card number.
 */
function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    return {
      error: position ? `is not valid JSON (at character ${position})` : 'is not valid JSON',
    };
  }
}

/**
 * Checks the order that a valid line converts to against the checkout contract, with the run
 * suffix on its id, so that a line the gateway would reject is reported before anything is sent.
 * Paths of these issues name checkout order fields and start with `checkout.`.
 */
function contractIssues(entry: NumberedReplayOrder, runId: string): InputIssue[] {
  const orderId = runOrderId(entry.order.orderId, runId);
  if (orderId.length > MAX_ORDER_ID_LENGTH) {
    const room = MAX_ORDER_ID_LENGTH - (orderId.length - entry.order.orderId.length);
    return [
      {
        lineNumber: entry.lineNumber,
        field: 'orderId',
        message: `must be at most ${room} characters, so that the run suffix fits in ${MAX_ORDER_ID_LENGTH}`,
      },
    ];
  }
  const converted = toCheckoutOrder(entry.order, {
    orderId,
    paymentMethodId: PLACEHOLDER_PAYMENT_METHOD,
  });
  const result = checkoutOrderSchema.safeParse(converted);
  return result.success ? [] : zodIssues(entry.lineNumber, result.error, 'checkout.');
}

/** Options of parseReplayOrders. */
export interface ParseOptions {
  /** Run id that is appended to every order id. */
  runId: string;
  /** Maximum number of non-blank lines to read; the rest of the file is ignored. */
  limit?: number;
}

/**
 * Validates each line of a replay file (JSON Lines) and returns the valid orders and the issues
 * of the others, so that one bad line does not stop the replay. Blank lines are skipped. A line
 * whose order id repeats an earlier line is reported and skipped.
 */
export function parseReplayOrders(text: string, options: ParseOptions): ParsedOrders {
  const { runId, limit = Infinity } = options;
  const orders: NumberedReplayOrder[] = [];
  const issues: InputIssue[] = [];
  const firstLineOfId = new Map<string, number>();
  let linesRead = 0;

  text.split('\n').forEach((rawLine, index) => {
    const lineNumber = index + 1;
    const line = rawLine.trim();
    if (line === '' || linesRead >= limit) return;
    linesRead += 1;

    const json = parseJson(line);
    if ('error' in json) {
      issues.push({ lineNumber, field: '', message: json.error });
      return;
    }
    const parsed = replayOrderSchema.safeParse(json.value);
    if (!parsed.success) {
      issues.push(...zodIssues(lineNumber, parsed.error));
      return;
    }
    const entry = { lineNumber, order: parsed.data };
    const earlier = firstLineOfId.get(entry.order.orderId);
    if (earlier !== undefined) {
      issues.push({
        lineNumber,
        field: 'orderId',
        message: `repeats the order id of line ${earlier}`,
      });
      return;
    }
    const contract = contractIssues(entry, runId);
    if (contract.length > 0) {
      issues.push(...contract);
      return;
    }
    firstLineOfId.set(entry.order.orderId, lineNumber);
    orders.push(entry);
  });
  return { orders, issues };
}

/** Reads and validates a replay file; see parseReplayOrders. */
export async function readReplayOrders(path: string, options: ParseOptions): Promise<ParsedOrders> {
  return parseReplayOrders(await readFile(path, 'utf8'), options);
}

/** Formats an issue as `line 12: lines.0.lineTotal: must be ...`. */
export function formatIssue(issue: InputIssue): string {
  const field = issue.field === '' ? '' : `${issue.field}: `;
  return `line ${issue.lineNumber}: ${field}${issue.message}`;
}
