import { randomBytes } from 'node:crypto';
import { IdempotencyStore } from './idempotency.js';
import type { TestCard } from './test-cards.js';

/** Subset of Stripe's PaymentMethod object that the sandbox returns. */
export interface PaymentMethodObject {
  id: string;
  object: 'payment_method';
  type: 'card';
  card: {
    brand: string;
    display_brand: string;
    last4: string;
    exp_month: number;
    exp_year: number;
    funding: 'credit';
    country: 'US';
    fingerprint: string;
    checks: { cvc_check: 'pass' | 'unchecked' };
  };
  billing_details: { name: string | null; email: string | null };
  created: number;
  customer: null;
  livemode: false;
  metadata: Record<string, string>;
}

export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'canceled'
  | 'succeeded';

export type NextAction =
  | { type: 'redirect_to_url'; redirect_to_url: { url: string; return_url: string } }
  | {
      type: 'use_stripe_sdk';
      use_stripe_sdk: { type: 'three_d_secure_redirect'; stripe_js: string };
    };

/** Subset of Stripe's PaymentIntent object that the sandbox returns. */
export interface PaymentIntentObject {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  capture_method: 'automatic' | 'automatic_async' | 'manual';
  confirmation_method: 'automatic';
  client_secret: string;
  created: number;
  canceled_at: number | null;
  cancellation_reason: string | null;
  description: string | null;
  last_payment_error: Record<string, unknown> | null;
  latest_charge: string | null;
  livemode: false;
  metadata: Record<string, string>;
  next_action: NextAction | null;
  payment_method: string | null;
  payment_method_types: ['card'];
  status: PaymentIntentStatus;
}

export interface ChargeObject {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: boolean;
  currency: string;
  created: number;
  disputed: boolean;
  failure_code: string | null;
  failure_message: string | null;
  paid: boolean;
  payment_intent: string;
  payment_method: string;
  refunded: boolean;
  status: 'succeeded' | 'failed';
}

export interface RefundObject {
  id: string;
  object: 'refund';
  amount: number;
  charge: string;
  created: number;
  currency: string;
  metadata: Record<string, string>;
  payment_intent: string;
  reason: string | null;
  status: 'succeeded';
}

export interface StoredPaymentMethod {
  object: PaymentMethodObject;
  /** The only place where the sandbox keeps the card number. */
  card: TestCard;
}

/** In-memory Stripe account of one sandbox instance. */
export interface StripeState {
  paymentMethods: Map<string, StoredPaymentMethod>;
  paymentIntents: Map<string, PaymentIntentObject>;
  charges: Map<string, ChargeObject>;
  refunds: Map<string, RefundObject>;
  idempotency: IdempotencyStore;
  /** Salt for card fingerprints, so a fingerprint does not reveal the number. */
  fingerprintSalt: string;
}

export function createStripeState(): StripeState {
  return {
    paymentMethods: new Map(),
    paymentIntents: new Map(),
    charges: new Map(),
    refunds: new Map(),
    idempotency: new IdempotencyStore(),
    fingerprintSalt: randomBytes(16).toString('hex'),
  };
}

/** Returns an object id in Stripe's style, such as `pi_3f9c...`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
