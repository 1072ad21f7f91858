export { startTaxService } from './tax-service.js';
