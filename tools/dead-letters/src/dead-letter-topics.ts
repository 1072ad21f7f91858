import { CONSUMER_GROUPS, deadLetterTopic } from '@orderflow/contracts';
import { UsageError } from './command-options.js';
import { KafkaAccessError } from './kafka-access.js';

/** A consumer group, the name of its dead-letter topic, and whether the broker has the topic. */
export interface GroupTopic {
  group: string;
  topic: string;
  exists: boolean;
}

/** Describes the topic prefix in use, for error messages. */
function prefixNote(prefix: string): string {
  return prefix === '' ? 'KAFKA_TOPIC_PREFIX unset' : `KAFKA_TOPIC_PREFIX "${prefix}"`;
}

/**
 * Returns the platform's consumer groups followed by the groups of every other dead-letter
 * topic with `prefix` on the broker, each with its topic. `brokerTopics` is the broker's topic
 * list.
 */
export function allGroupTopics(brokerTopics: string[], prefix: string): GroupTopic[] {
  const existing = new Set(brokerTopics);
  const topicStart = prefix + deadLetterTopic('');
  const groups: string[] = [...CONSUMER_GROUPS];
  const found = brokerTopics
    .filter((topic) => topic.startsWith(topicStart) && topic.length > topicStart.length)
    .map((topic) => topic.slice(topicStart.length))
    .filter((group) => !groups.includes(group))
    .sort();
  return [...groups, ...found].map((group) => {
    const topic = prefix + deadLetterTopic(group);
    return { group, topic, exists: existing.has(topic) };
  });
}

/**
 * Returns the dead-letter topic of `group`. Throws UsageError when the group is neither a
 * platform consumer group nor has a dead-letter topic on the broker, and KafkaAccessError when
 * a platform group's topic is missing.
 */
export function groupTopic(
  group: string,
  brokerTopics: string[],
  prefix: string,
  brokers: string[],
): GroupTopic {
  const topic = prefix + deadLetterTopic(group);
  const exists = brokerTopics.includes(topic);
  if (exists) return { group, topic, exists };

  if (!(CONSUMER_GROUPS as readonly string[]).includes(group)) {
    const known = allGroupTopics(brokerTopics, prefix)
      .filter((candidate) => candidate.exists)
      .map((candidate) => candidate.group);
    throw new UsageError(
      `--group "${group}": unknown consumer group, because topic ${topic} does not exist at ` +
        `${brokers.join(',')} (${prefixNote(prefix)}). Groups with a dead-letter topic: ` +
        `${known.length > 0 ? known.join(', ') : 'none'}.`,
    );
  }
  throw new KafkaAccessError(
    `topic ${topic} of group ${group} does not exist at ${brokers.join(',')} ` +
      `(${prefixNote(prefix)}). Create the platform topics with ` +
      '`bash infra/kafka/kafka.sh topics`, or set KAFKA_TOPIC_PREFIX to the prefix that the ' +
      'services use.',
  );
}
