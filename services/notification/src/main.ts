import { startNotificationService } from './notification-service.js';

await startNotificationService();
