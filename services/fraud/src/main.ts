import { startFraudService } from './fraud-service.js';

await startFraudService();
