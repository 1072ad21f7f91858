/** Maximum number of ids the gateway accepts in one `GET /v1/orders?ids=` request. */
export const MAX_IDS_PER_REQUEST = 200;

const REQUEST_TIMEOUT_MS = 30_000;

/** The fields of the gateway's order view that the replay reads. */
export interface GatewayOrderView {
  orderId: string;
  /** Order status as the gateway derives it, such as `processing` or `captured`. */
  status: string;
  /** True once the outcome is final and the customer was notified. */
  settled: boolean;
  customerMessage: string | null;
  rejectionReason: string | null;
  /** Milliseconds from `order.created` to the first event of each type. */
  stageTimesMs: Record<string, number>;
}

/** Fetches the views of up to MAX_IDS_PER_REQUEST orders; unknown ids are left out. */
export type OrderViewFetcher = (orderIds: string[]) => Promise<GatewayOrderView[]>;

function toView(raw: Partial<GatewayOrderView>): GatewayOrderView {
  return {
    orderId: String(raw.orderId),
    status: String(raw.status),
    settled: raw.settled === true,
    customerMessage: raw.customerMessage ?? null,
    rejectionReason: raw.rejectionReason ?? null,
    stageTimesMs: raw.stageTimesMs ?? {},
  };
}

/**
 * Returns a fetcher for the gateway's `GET /v1/orders?ids=a,b,c`. A response other than 200
 * throws with the status and the start of the body.
 */
export function createOrderViewFetcher(gatewayUrl: string): OrderViewFetcher {
  const base = gatewayUrl.replace(/\/+$/, '');
  return async (orderIds) => {
    if (orderIds.length > MAX_IDS_PER_REQUEST) {
      throw new RangeError(
        `at most ${MAX_IDS_PER_REQUEST} order ids per request; received ${orderIds.length}`,
      );
    }
    const url = `${base}/v1/orders?ids=${orderIds.map(encodeURIComponent).join(',')}`;
    const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    if (response.status !== 200) {
      const body = (await response.text()).slice(0, 300);
      throw new Error(`GET ${base}/v1/orders returned ${response.status}: ${body}`);
    }
    const body = (await response.json()) as { orders?: Array<Partial<GatewayOrderView>> };
    return (body.orders ?? []).map(toView);
  };
}

/**
 * Throws unless the gateway's `GET /health/ready` returns 200, so that a run does not publish
 * orders that nothing will show.
 */
export async function checkGatewayReady(gatewayUrl: string): Promise<void> {
  const url = `${gatewayUrl.replace(/\/+$/, '')}/health/ready`;
  let status: number;
  try {
    status = (await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })).status;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint =
      'start the platform first, for example with bash scripts/run-platform.sh --keep-running';
    throw new Error(`the gateway is not reachable at ${url} (${message}); ${hint}`, {
      cause: error,
    });
  }
  if (status !== 200) {
    throw new Error(`the gateway is not ready: GET ${url} returned ${status}`);
  }
}
