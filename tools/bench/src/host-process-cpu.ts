import { readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Processes besides the services whose CPU time the bench reads on a Linux host. */
export const HOST_PROCESS_KINDS = ['Kafka broker', 'PostgreSQL', 'sandbox'] as const;

export type HostProcessKind = (typeof HOST_PROCESS_KINDS)[number];

/**
 * Clock ticks per second of the CPU times in `/proc/<pid>/stat`. Linux reports them in units of
 * USER_HZ, which is 100 on Linux for x86 and ARM.
 */
const TICKS_PER_SECOND = 100;

/**
 * Names the kind of a process from its command line, whose arguments are separated by NUL, and
 * its working directory. PostgreSQL backends set their command line to `postgres: ...`, and the
 * sandbox runs `src/main.ts` in `packages/sandbox`.
 */
export function hostProcessKind(
  commandLine: string,
  workingDirectory: string,
): HostProcessKind | undefined {
  const words = commandLine.split('\0');
  const program = words[0] ?? '';
  if (program === 'postgres' || program.startsWith('postgres:') || program.endsWith('/postgres')) {
    return 'PostgreSQL';
  }
  if (program.endsWith('java') && words.includes('kafka.Kafka')) return 'Kafka broker';
  if (
    isNodeProgram(commandLine) &&
    workingDirectory.endsWith('/packages/sandbox') &&
    words.includes('src/main.ts')
  ) {
    return 'sandbox';
  }
  return undefined;
}

function isNodeProgram(commandLine: string): boolean {
  const program = commandLine.split('\0', 1)[0] ?? '';
  return program === 'node' || program.endsWith('/node');
}

/**
 * Returns the user and system CPU seconds in a `/proc/<pid>/stat` line: fields 14 and 15, counted
 * after the command name in parentheses, which may itself contain spaces and parentheses.
 */
export function statCpuSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Field 3 (the state) is the first after the name, so fields 14 and 15 are at 11 and 12.
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  if (!Number.isFinite(userTicks) || !Number.isFinite(systemTicks)) {
    throw new Error(`no CPU times in stat line "${stat.slice(0, 80)}"`);
  }
  return (userTicks + systemTicks) / TICKS_PER_SECOND;
}

/** CPU seconds used so far by each kind of process that runs on this host, by process id. */
export type HostCpuReading = Map<HostProcessKind, Map<string, number>>;

/**
 * Reads the CPU time of the Kafka broker, the PostgreSQL server's processes and the provider
 * sandbox from `procRoot` (Linux only). A process that ends between two readings takes its CPU
 * time with it, so a short-lived PostgreSQL backend is missed.
 */
export async function readHostProcessCpu(procRoot = '/proc'): Promise<HostCpuReading> {
  const reading: HostCpuReading = new Map(HOST_PROCESS_KINDS.map((kind) => [kind, new Map()]));
  for (const entry of await readdir(procRoot)) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const commandLine = (await readFile(join(procRoot, entry, 'cmdline'), 'utf8')).replace(
        /\0$/,
        '',
      );
      // The working directory of another user's process is not readable, and only the
      // sandbox's is needed.
      const workingDirectory = isNodeProgram(commandLine)
        ? await readlink(join(procRoot, entry, 'cwd'))
        : '';
      const kind = hostProcessKind(commandLine, workingDirectory);
      if (kind === undefined) continue;
      const stat = await readFile(join(procRoot, entry, 'stat'), 'utf8');
      reading.get(kind)!.set(entry, statCpuSeconds(stat));
    } catch {
      // The process ended while it was read.
    }
  }
  return reading;
}

/** CPU time of one kind of host process during a run. */
export interface HostCpuUse {
  kind: HostProcessKind;
  cpuSeconds: number;
  processes: number;
}

/**
 * Returns the CPU seconds that each kind of process used between two readings. A process that
 * started in between counts from zero.
 */
export function hostCpuBetween(before: HostCpuReading, after: HostCpuReading): HostCpuUse[] {
  return HOST_PROCESS_KINDS.map((kind) => {
    const start = before.get(kind) ?? new Map<string, number>();
    let cpuSeconds = 0;
    const processes = after.get(kind) ?? new Map<string, number>();
    for (const [pid, seconds] of processes) cpuSeconds += seconds - (start.get(pid) ?? 0);
    return { kind, cpuSeconds, processes: processes.size };
  });
}
