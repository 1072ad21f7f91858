import type { EventHandlers } from '@orderflow/messaging';
import type { UsStateRate } from '../domain/fallback-tax.js';
import type { TaxProvider } from '../domain/tax-ports.js';
import { calculateOrderTax } from './calculate-tax.js';

/** Handlers of the tax service: every new order gets its tax calculated once. */
export function taxHandlers(
  provider: TaxProvider,
  usStateRates: ReadonlyMap<string, UsStateRate>,
): EventHandlers {
  return {
    'order.created': (event, ctx) => calculateOrderTax(event.data, provider, usStateRates, ctx),
  };
}
