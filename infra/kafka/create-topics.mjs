// Creates the named topics that do not exist yet on one broker, with replication factor 1.
// Usage: node create-topics.mjs HOST:PORT PARTITIONS NAME...
// Existing topics are left as they are, whatever their partition count.
// A dead-letter topic accepts messages up to DEAD_LETTER_MAX_MESSAGE_BYTES, because a dead letter
// is the original message plus headers, and the original may be as large as its topic allows
// (1 MB by default).
import { createAdmin } from './load-kafkajs.mjs';

const [broker, partitionsArgument, ...names] = process.argv.slice(2);
const partitions = Number(partitionsArgument);
if (!broker || !Number.isInteger(partitions) || partitions < 1 || names.length === 0) {
  console.error('usage: node create-topics.mjs HOST:PORT PARTITIONS NAME...');
  process.exit(2);
}

const DEAD_LETTER_MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

const admin = createAdmin(broker, { retries: 3, requestTimeoutMs: 30000 });
try {
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const missing = names.filter((name) => !existing.has(name));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: partitions,
        replicationFactor: 1,
        configEntries: topic.startsWith('dead-letter.')
          ? [{ name: 'max.message.bytes', value: String(DEAD_LETTER_MAX_MESSAGE_BYTES) }]
          : [],
      })),
    });
  }
  const existingCount = names.length - missing.length;
  console.log(
    `kafka.sh: created ${missing.length} topics with ${partitions} partitions on ${broker}, ` +
      `kept ${existingCount} that already existed`,
  );
  for (const topic of missing) console.log(`  + ${topic}`);
} catch (error) {
  console.error(`kafka.sh: creating topics on ${broker} failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  await admin.disconnect().catch(() => {});
}
