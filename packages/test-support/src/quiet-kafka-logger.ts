import { logLevel, type LogEntry, type logCreator } from 'kafkajs';

/**
 * Error responses that kafkajs 2.2.4 logs at ERROR level and then handles itself, by
 * rejoining the group or retrying the request. Rebalances and broker start-up produce them
 * in every consumer test, so they are dropped instead of filling the test output.
 */
const HANDLED_RESPONSE_ERRORS = new Set([
  'The group is rebalancing, so a rejoin is needed',
  "The coordinator is loading and hence can't process requests for this group",
  'The group coordinator is not available',
  'This is not the correct coordinator for this group',
  'There is no leader for this topic-partition as we are in the middle of a leadership election',
]);

/**
 * kafkajs log creator that prints entries as JSON lines, like the kafkajs default, but drops
 * the error responses in {@link HANDLED_RESPONSE_ERRORS}. Other errors, such as a consumer
 * crash, are still printed.
 */
export const quietKafkaLogCreator: logCreator = () => (entry: LogEntry) => {
  if (isHandledResponseError(entry)) return;
  const prefix = entry.namespace ? `[${entry.namespace}] ` : '';
  const line = JSON.stringify({
    level: entry.label,
    ...entry.log,
    message: `${prefix}${entry.log.message}`,
  });
  if (entry.level === logLevel.ERROR) console.error(line);
  else if (entry.level === logLevel.WARN) console.warn(line);
  else console.log(line);
};

function isHandledResponseError(entry: LogEntry): boolean {
  return (
    entry.namespace === 'Connection' &&
    entry.log.message.startsWith('Response ') &&
    HANDLED_RESPONSE_ERRORS.has(String(entry.log.error))
  );
}
