export { startCrmSyncService } from './crm-sync-service.js';
