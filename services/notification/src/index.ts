export { startNotificationService } from './notification-service.js';
