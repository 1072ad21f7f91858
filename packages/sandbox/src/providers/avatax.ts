/**
 * AvaTax imitation: tax calculation by US state and Canadian province, recorded sales
 * invoices, voids for compensation, and ping, in AvaTax's JSON shapes under `/api/v2`.
 * Authentication is HTTP Basic with the account id and license key (or a user name and
 * password), as the `avatax` SDK sends it; any non-empty pair is accepted.
 *
 * SalesOrder documents are estimates and are not recorded. SalesInvoice documents are
 * recorded by company and code: an uncommitted one is replaced by a new request with the
 * same code, a committed or voided one rejects it with TransactionAlreadyExists.
 * `/_sandbox/avatax/faults` queues failures (see fault-injection.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AvaTaxApiError, faultBody, incorrectData } from './avatax/errors.js';
import {
  computeTransaction,
  parseTransactionRequest,
  type TransactionModel,
} from './avatax/transactions.js';
import { installFaultInjection } from './fault-injection.js';

type TransactionRequest = FastifyRequest<{
  Params: { companyCode: string; transactionCode: string };
  Body: Record<string, unknown> | undefined;
}>;

const VOID_REASONS = ['PostFailed', 'DocDeleted', 'DocVoided', 'AdjustmentCancelled'];

/** Reads a void reason given by name or, as the SDK's enum sends it, by number (PostFailed is 1). */
function parseVoidReason(value: unknown): string | undefined {
  if (typeof value === 'number') return VOID_REASONS[value - 1];
  return VOID_REASONS.find((reason) => reason === value);
}

interface AvaTaxState {
  /** Recorded SalesInvoice documents by company code and transaction code. */
  invoices: Map<string, TransactionModel>;
  nextId: number;
}

function invoiceKey(companyCode: string, code: string): string {
  return `${companyCode}\u0000${code}`;
}

function readCredentials(request: FastifyRequest): { user: string; password: string } | undefined {
  const [scheme, encoded = ''] = (request.headers.authorization ?? '').split(' ', 2);
  if (scheme?.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator <= 0 || separator === decoded.length - 1) return undefined;
  return { user: decoded.slice(0, separator), password: decoded.slice(separator + 1) };
}

/** Rejects a request without Basic credentials, except ping, which reports whether they were valid. */
async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.url.startsWith('/_sandbox/') || request.url.startsWith('/api/v2/utilities/ping'))
    return;
  if (readCredentials(request)) return;
  const error = new AvaTaxApiError(
    401,
    'AuthenticationException',
    'Authentication failed.',
    'HttpRequestHeaders',
    'Send the account id and license key with HTTP Basic authentication.',
  );
  await reply.code(401).send(error.toBody());
}

function installErrorHandler(scope: FastifyInstance): void {
  scope.setErrorHandler(async (error, request, reply) => {
    if (error instanceof AvaTaxApiError) return reply.code(error.statusCode).send(error.toBody());
    const statusCode = (error as { statusCode?: number }).statusCode ?? 500;
    if (statusCode < 500) {
      return reply
        .code(statusCode)
        .send(incorrectData('ModelStateInvalid', (error as Error).message).toBody());
    }
    request.log.error({ err: error }, 'avatax sandbox route failed');
    const fault = new AvaTaxApiError(
      500,
      'ServerConfiguration',
      'The AvaTax sandbox failed to handle the request.',
      'AvaTaxApiServer',
    );
    return reply.code(500).send(fault.toBody());
  });
}

function createTransaction(state: AvaTaxState, body: unknown): TransactionModel {
  const request = parseTransactionRequest(body);
  if (request.type !== 'SalesInvoice') {
    state.nextId += 1;
    return computeTransaction(request, state.nextId);
  }

  const key = invoiceKey(request.companyCode, request.code);
  const existing = state.invoices.get(key);
  if (existing && existing.status !== 'Saved') {
    throw incorrectData(
      'TransactionAlreadyExists',
      `A ${existing.status.toLowerCase()} transaction with code ${request.code} already exists in company ${request.companyCode}.`,
    );
  }
  state.nextId += 1;
  const transaction = computeTransaction(request, state.nextId);
  if (existing) transaction.version = Number(existing.version ?? 1) + 1;
  state.invoices.set(key, transaction);
  return transaction;
}

function findInvoice(state: AvaTaxState, companyCode: string, code: string): TransactionModel {
  const transaction = state.invoices.get(invoiceKey(companyCode, code));
  if (!transaction) {
    throw new AvaTaxApiError(
      404,
      'EntityNotFoundError',
      `Transaction ${code} of company ${companyCode} was not found.`,
      'HttpRequest',
    );
  }
  return transaction;
}

function voidTransaction(state: AvaTaxState, request: TransactionRequest): TransactionModel {
  if (!parseVoidReason(request.body?.code)) {
    throw incorrectData(
      'ValueRequiredError',
      `The field code is required and must be one of ${VOID_REASONS.join(', ')}.`,
    );
  }
  const transaction = findInvoice(
    state,
    request.params.companyCode,
    request.params.transactionCode,
  );
  if (transaction.status === 'Cancelled') {
    throw incorrectData(
      'TransactionAlreadyCancelled',
      `Transaction ${transaction.code} is already voided.`,
    );
  }
  transaction.status = 'Cancelled';
  transaction.version = Number(transaction.version ?? 1) + 1;
  return transaction;
}

function registerRoutes(scope: FastifyInstance, state: AvaTaxState): void {
  scope.get('/api/v2/utilities/ping', async (request) => {
    const credentials = readCredentials(request);
    return {
      version: 'sandbox',
      authenticated: credentials !== undefined,
      authenticationType: credentials ? 'AccountIdLicenseKey' : 'None',
      ...(credentials ? { authenticatedUserName: credentials.user } : {}),
    };
  });

  scope.post('/api/v2/transactions/create', async (request: TransactionRequest, reply) =>
    reply.code(201).send(createTransaction(state, request.body)),
  );
  scope.get(
    '/api/v2/companies/:companyCode/transactions/:transactionCode',
    async (request: TransactionRequest) =>
      findInvoice(state, request.params.companyCode, request.params.transactionCode),
  );
  scope.post(
    '/api/v2/companies/:companyCode/transactions/:transactionCode/void',
    async (request: TransactionRequest) => voidTransaction(state, request),
  );
}

/** Registers the AvaTax routes on `app`, with state private to this registration. */
export async function registerAvaTax(app: FastifyInstance): Promise<void> {
  const state: AvaTaxState = { invoices: new Map(), nextId: 0 };
  await app.register(async (scope) => {
    installErrorHandler(scope);
    installFaultInjection(scope, 'avatax', faultBody);
    scope.addHook('onRequest', authenticate);
    registerRoutes(scope, state);
  });
}
