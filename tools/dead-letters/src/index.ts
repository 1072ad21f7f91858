export * from './command-options.js';
export * from './dead-letter-record.js';
export * from './dead-letter-topics.js';
export * from './dead-letters-command.js';
export * from './kafka-access.js';
export * from './output.js';
export * from './read-topics.js';
export * from './replay-dead-letters.js';
