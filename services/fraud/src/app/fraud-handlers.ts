import type { EventHandlers } from '@orderflow/messaging';
import type { RiskScorer } from '../domain/fraud-ports.js';
import { assessOrder } from './assess-order.js';

/** Handlers of the fraud service: every new order gets one risk decision. */
export function fraudHandlers(scorer: RiskScorer): EventHandlers {
  return {
    'order.created': (event, ctx) => assessOrder(event.data, scorer, ctx),
  };
}
