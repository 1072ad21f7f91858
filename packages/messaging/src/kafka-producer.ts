import { Partitioners, type Kafka, type Producer } from 'kafkajs';

/**
 * Creates the producer used for every platform message: idempotent, one request in flight so
 * retries cannot reorder a partition, acks from all in-sync replicas (set per send), no topic
 * auto-creation, and the Java-compatible murmur2 partitioner so a key maps to the same partition
 * as with Kafka's own clients.
 */
export function createPlatformProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}
