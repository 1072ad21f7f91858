// Exits 0 when the broker at argv[2] ("host:port") lists at least one broker and has a
// group coordinator, and 1 otherwise. kafka.sh polls it while the broker starts.
import { createAdmin } from './load-kafkajs.mjs';

const PROBE_TIMEOUT_MS = 5000;

const broker = process.argv[2];
if (!broker) {
  console.error('usage: node probe-broker.mjs HOST:PORT');
  process.exit(2);
}

// A broker that accepts the connection but never responds must not stall the caller's loop.
setTimeout(() => process.exit(1), PROBE_TIMEOUT_MS).unref();

const admin = createAdmin(broker, { requestTimeoutMs: 3000 });
try {
  await admin.connect();
  const cluster = await admin.describeCluster();
  if (cluster.brokers.length === 0) throw new Error('no broker registered yet');
  // Describing a group needs its coordinator, and the first such request makes the broker
  // create the offsets topic. Waiting for it here spares the first consumer group the
  // "coordinator not available" errors and restarts. The group itself is not created.
  await admin.describeGroups(['orderflow-readiness-probe']);
  process.exitCode = 0;
} catch (error) {
  console.error(`broker ${broker} is not ready: ${error.message}`);
  process.exitCode = 1;
} finally {
  await admin.disconnect().catch(() => {});
}
