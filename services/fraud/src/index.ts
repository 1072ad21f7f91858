export { startFraudService } from './fraud-service.js';
