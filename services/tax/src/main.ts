import { startTaxService } from './tax-service.js';

await startTaxService();
