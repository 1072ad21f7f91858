import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONSUMER_GROUPS, EVENT_TYPES, deadLetterTopic } from '../src/index.js';

const TOPIC_LIST = fileURLToPath(new URL('../../../infra/kafka/topics.txt', import.meta.url));

/** Topic names in infra/kafka/topics.txt: one per line, `#` comments and blank lines skipped. */
function listedTopics(): string[] {
  return readFileSync(TOPIC_LIST, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

// kafka.sh creates the local broker's topics from this file and docker-compose.yml mounts it
// for its topic container, so an event type or consumer group missing here has no topic there.
describe('infra/kafka/topics.txt', () => {
  it('lists every event topic and every dead-letter topic, and nothing else', () => {
    const expected = [...EVENT_TYPES, ...CONSUMER_GROUPS.map(deadLetterTopic)];

    expect([...listedTopics()].sort()).toEqual([...expected].sort());
  });
});
