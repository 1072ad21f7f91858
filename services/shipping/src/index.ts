export { startShippingService } from './shipping-service.js';
