import { Writable } from 'node:stream';
import { createLogger, type Logger, type LogLevel } from '../../src/logger.js';

/** A logger whose JSON lines are kept in `lines`, parsed. */
export interface CapturedLogger {
  logger: Logger;
  lines: Record<string, unknown>[];
  /** Lines whose `msg` equals `message`. */
  withMessage(message: string): Record<string, unknown>[];
}

/** Creates a logger that writes into memory instead of stdout. */
export function captureLogger(service = 'kit-test', level: LogLevel = 'debug'): CapturedLogger {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  const logger = createLogger({ service, level, destination });
  return { logger, lines, withMessage: (message) => lines.filter((line) => line.msg === message) };
}
