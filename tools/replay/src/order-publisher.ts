import {
  CLOUDEVENTS_CONTENT_TYPE,
  createEvent,
  serializeEvent,
  type CheckoutOrder,
  type TypedEvent,
} from '@orderflow/contracts';
import { createPlatformProducer } from '@orderflow/messaging';
import { Kafka, logLevel, type Producer } from 'kafkajs';

/** Source attribute of the events the replay publishes. */
export const REPLAY_EVENT_SOURCE = '/checkout/replay';

/** Topic of new checkout orders, before any prefix. */
const ORDER_CREATED_TOPIC = 'order.created';

/** Settings of the replay's Kafka producer. */
export interface PublisherConfig {
  brokers: string[];
  /** Prefix of the topic name, as `KAFKA_TOPIC_PREFIX` sets it for the services. */
  topicPrefix: string;
  clientId?: string;
}

/** Publisher of `order.created` events in batches, with `close` to disconnect. */
export interface OrderPublisher {
  /** Wraps each order in an `order.created` event stamped with `time` and sends them in one batch. */
  publish(orders: CheckoutOrder[], time: Date): Promise<Array<TypedEvent<'order.created'>>>;
  close(): Promise<void>;
}

/**
 * Wraps a checkout order in an `order.created` CloudEvent, as checkout publishes it. Throws
 * ContractViolationError when the order does not match the contract.
 */
export function orderCreatedEvent(order: CheckoutOrder, time: Date): TypedEvent<'order.created'> {
  return createEvent({
    type: 'order.created',
    source: REPLAY_EVENT_SOURCE,
    subject: order.orderId,
    data: order,
    time,
  });
}

/** Sends the events to `topic` in one request; a failure names the topic and the brokers. */
async function sendEvents(
  producer: Producer,
  topic: string,
  config: PublisherConfig,
  events: ReadonlyArray<TypedEvent<'order.created'>>,
): Promise<void> {
  try {
    await producer.sendBatch({
      acks: -1,
      topicMessages: [
        {
          topic,
          messages: events.map((event) => ({
            key: event.subject,
            value: serializeEvent(event),
            headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
          })),
        },
      ],
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const brokers = config.brokers.join(',');
    throw new Error(
      `publishing ${events.length} orders to ${topic} at ${brokers} failed: ${message}`,
      { cause: error },
    );
  }
}

/**
 * Connects the platform's idempotent producer (see createPlatformProducer) and returns a
 * publisher that sends each batch with one `sendBatch` call, keyed by order id so that all events
 * of an order share a partition, and acknowledged by all in-sync replicas.
 */
export async function connectOrderPublisher(config: PublisherConfig): Promise<OrderPublisher> {
  const kafka = new Kafka({
    clientId: config.clientId ?? 'orderflow-replay',
    brokers: config.brokers,
    logLevel: logLevel.ERROR,
  });
  const producer: Producer = createPlatformProducer(kafka);
  await producer.connect();
  const topic = config.topicPrefix + ORDER_CREATED_TOPIC;

  return {
    async publish(orders, time) {
      const events = orders.map((order) => orderCreatedEvent(order, time));
      await sendEvents(producer, topic, config, events);
      return events;
    },
    close: () => producer.disconnect(),
  };
}
