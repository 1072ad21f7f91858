import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TIMEOUT_SECONDS,
  parseCommandOptions,
  parseOffsetSelector,
  UsageError,
} from '../src/command-options.js';

describe('parseCommandOptions', () => {
  it('defaults list to the local broker and no prefix', () => {
    expect(parseCommandOptions(['list'], {})).toEqual({
      command: 'list',
      kafkaBrokers: ['127.0.0.1:19092'],
      topicPrefix: '',
      timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
      json: false,
    });
  });

  it('reads every replay option and the environment', () => {
    const options = parseCommandOptions(
      [
        'replay',
        '--group',
        'payment',
        '--offset',
        '4',
        '--offset',
        '2:15',
        '--dry-run',
        '--json',
        '--timeout-seconds',
        '5',
      ],
      { KAFKA_BROKERS: '127.0.0.1:1, 127.0.0.1:2', KAFKA_TOPIC_PREFIX: 'dev.' },
    );

    expect(options).toEqual({
      command: 'replay',
      kafkaBrokers: ['127.0.0.1:1', '127.0.0.1:2'],
      topicPrefix: 'dev.',
      timeoutSeconds: 5,
      json: true,
      group: 'payment',
      selection: [
        { text: '4', offset: '4' },
        { text: '2:15', partition: 2, offset: '15' },
      ],
      dryRun: true,
    });
  });

  it('returns help for --help and -h', () => {
    expect(parseCommandOptions(['--help'], {})).toEqual({ command: 'help' });
    expect(parseCommandOptions(['replay', '-h'], {})).toEqual({ command: 'help' });
  });

  it.each([
    [[], 'missing subcommand: list or replay'],
    [['show'], 'unknown subcommand "show"'],
    [['list', 'extra'], 'unexpected argument "extra"'],
    [['list', '--offset', '1'], '--offset, --all and --dry-run apply to replay only'],
    [['list', '--group', ' '], '--group must not be empty'],
    [['list', '--verbose'], "Unknown option '--verbose'"],
    [['list', '--timeout-seconds', '0'], '--timeout-seconds must be a whole number'],
    [['replay', '--all'], 'replay needs --group GROUP'],
    [['replay', '--group', 'tax'], 'replay needs --offset N (repeatable) or --all'],
    [['replay', '--group', 'tax', '--all', '--offset', '1'], 'either --offset or --all'],
    [['replay', '--group', 'tax', '--offset', '1:2:3'], '--offset must be an offset N'],
    [['replay', '--group', 'tax', '--offset', 'x1'], 'received "x1"'],
  ])('rejects %j', (args, message) => {
    expect(() => parseCommandOptions(args, {})).toThrow(UsageError);
    expect(() => parseCommandOptions(args, {})).toThrow(message);
  });

  it('rejects an invalid KAFKA_BROKERS', () => {
    expect(() => parseCommandOptions(['list'], { KAFKA_BROKERS: 'localhost' })).toThrow(
      'KAFKA_BROKERS must be a comma-separated list of host:port; received "localhost"',
    );
  });

  it('rejects an invalid KAFKA_TOPIC_PREFIX', () => {
    expect(() => parseCommandOptions(['list'], { KAFKA_TOPIC_PREFIX: 'a b' })).toThrow(
      'KAFKA_TOPIC_PREFIX may contain only letters, digits, dots, dashes and underscores',
    );
  });
});

describe('parseOffsetSelector', () => {
  it('normalizes leading zeros', () => {
    expect(parseOffsetSelector('03:007')).toEqual({ text: '03:007', partition: 3, offset: '7' });
  });

  it('keeps offsets beyond the safe integer range exact', () => {
    expect(parseOffsetSelector('9007199254740993').offset).toBe('9007199254740993');
  });
});
