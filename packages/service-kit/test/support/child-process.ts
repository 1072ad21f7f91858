import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIRECTORY = fileURLToPath(new URL('../..', import.meta.url));

/** A TypeScript file running under tsx in a child process, with its stdout parsed as JSON lines. */
export interface TsxProcess {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  stderr: () => string;
  /** Resolves with the first log line whose `msg` is `message`. */
  waitForMessage(message: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Starts `file` with `node --import tsx`, as services run, in the package directory. */
export function startTsxProcess(file: string, env: Record<string, string>): TsxProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: PACKAGE_DIRECTORY,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: { message: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  let stderr = '';
  let pending = '';

  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const text of complete) {
      if (text.trim() === '') continue;
      const line = JSON.parse(text) as Record<string, unknown>;
      lines.push(line);
      for (const waiter of waiters.filter((candidate) => candidate.message === line.msg)) {
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitForMessage(message, timeoutMs = 20_000) {
      const seen = lines.find((line) => line.msg === message);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no "${message}" log line within ${timeoutMs} ms; stderr: ${stderr}`));
        }, timeoutMs);
        waiters.push({
          message,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`process exited before logging "${message}"; stderr: ${stderr}`));
        });
      });
    },
  };
}
