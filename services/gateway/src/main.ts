import { startGatewayService } from './gateway-service.js';

await startGatewayService();
