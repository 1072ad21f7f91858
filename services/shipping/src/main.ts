import { startShippingService } from './shipping-service.js';

await startShippingService();
