import { startPaymentService } from './payment-service.js';

await startPaymentService();
