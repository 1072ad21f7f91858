// Creates the named topics that do not exist yet on one broker, with replication factor 1.
// Usage: node create-topics.mjs HOST:PORT PARTITIONS NAME...
// Existing topics keep their partition count.
// A dead-letter topic accepts messages up to DEAD_LETTER_MAX_MESSAGE_BYTES, because a dead letter
// is the original message plus headers, and the original may be as large as its topic allows
// (1 MB by default). An existing dead-letter topic with a lower limit is raised to it.
import { createAdmin, kafkajs } from './load-kafkajs.mjs';

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
        configEntries: isDeadLetterTopic(topic)
          ? [{ name: 'max.message.bytes', value: String(DEAD_LETTER_MAX_MESSAGE_BYTES) }]
          : [],
      })),
    });
  }
  const raised = await raiseDeadLetterLimits(
    names.filter((name) => existing.has(name) && isDeadLetterTopic(name)),
  );
  const existingCount = names.length - missing.length;
  console.log(
    `kafka.sh: created ${missing.length} topics with ${partitions} partitions on ${broker}, ` +
      `kept ${existingCount} that already existed`,
  );
  for (const topic of missing) console.log(`  + ${topic}`);
  for (const topic of raised) {
    console.log(`  ~ ${topic}: max.message.bytes raised to ${DEAD_LETTER_MAX_MESSAGE_BYTES}`);
  }
} catch (error) {
  console.error(`kafka.sh: creating topics on ${broker} failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  await admin.disconnect().catch(() => {});
}

function isDeadLetterTopic(name) {
  return name.startsWith('dead-letter.');
}

/**
 * Raises max.message.bytes of the given topics to DEAD_LETTER_MAX_MESSAGE_BYTES where it is lower
 * and returns their names. AlterConfigs replaces all of a topic's own settings, so the settings
 * set on the topic are sent again with the new limit.
 */
async function raiseDeadLetterLimits(topics) {
  if (topics.length === 0) return [];
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({ type: kafkajs.ConfigResourceTypes.TOPIC, name })),
  });
  const changes = [];
  for (const resource of resources) {
    const limit = resource.configEntries.find((entry) => entry.configName === 'max.message.bytes');
    if (Number(limit?.configValue) >= DEAD_LETTER_MAX_MESSAGE_BYTES) continue;
    const ownSettings = resource.configEntries.filter(
      (entry) =>
        entry.configSource === kafkajs.ConfigSource.TOPIC_CONFIG &&
        entry.configName !== 'max.message.bytes',
    );
    changes.push({
      type: kafkajs.ConfigResourceTypes.TOPIC,
      name: resource.resourceName,
      configEntries: [
        ...ownSettings.map((entry) => ({ name: entry.configName, value: entry.configValue })),
        { name: 'max.message.bytes', value: String(DEAD_LETTER_MAX_MESSAGE_BYTES) },
      ],
    });
  }
  if (changes.length > 0) await admin.alterConfigs({ validateOnly: false, resources: changes });
  return changes.map((change) => change.name);
}
