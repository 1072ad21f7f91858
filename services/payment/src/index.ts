export { startPaymentService } from './payment-service.js';
export {
  tokenizeTestCard,
  type TestCardDetails,
} from './adapters/providers/stripe/tokenize-card.js';
