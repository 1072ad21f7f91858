import { startCrmSyncService } from './crm-sync-service.js';

await startCrmSyncService();
