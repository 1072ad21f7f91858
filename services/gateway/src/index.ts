export { startGatewayService } from './gateway-service.js';
export type { OrderView } from './app/order-view.js';
