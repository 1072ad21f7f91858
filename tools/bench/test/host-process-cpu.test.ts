import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hostCpuBetween,
  hostProcessKind,
  readHostProcessCpu,
  statCpuSeconds,
} from '../src/host-process-cpu.js';

describe('hostProcessKind', () => {
  const cases: Array<[string, string, string, string | undefined]> = [
    ['postmaster', '/usr/lib/postgresql/15/bin/postgres\0-D\0/var/lib/x', '/', 'PostgreSQL'],
    [
      'backend',
      'postgres: 15/main: orderflow_tax orderflow_tax 127.0.0.1(5) idle',
      '/',
      'PostgreSQL',
    ],
    ['broker', 'java\0-Xms128m\0-cp\0lib/*\0kafka.Kafka\0server.properties', '/', 'Kafka broker'],
    ['other java', 'java\0-jar\0app.jar', '/', undefined],
    ['sandbox', '/usr/bin/node\0--import\0tsx\0src/main.ts', '/repo/packages/sandbox', 'sandbox'],
    ['a service', '/usr/bin/node\0--import\0tsx\0src/main.ts', '/repo/services/tax', undefined],
    ['pnpm', 'node\0/usr/bin/pnpm\0--filter\0@orderflow/sandbox\0start', '/repo', undefined],
  ];

  it.each(cases)('names a %s', (_name, commandLine, directory, expected) => {
    expect(hostProcessKind(commandLine, directory)).toBe(expected);
  });
});

describe('statCpuSeconds', () => {
  it('reads user and system time after a name with spaces and parentheses', () => {
    const stat = '42 (node (main) x) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0';

    expect(statCpuSeconds(stat)).toBe(3);
  });
});

describe('readHostProcessCpu', () => {
  let procRoot: string;

  async function addProcess(pid: string, commandLine: string, cwd: string, ticks: number) {
    await mkdir(join(procRoot, pid));
    await writeFile(join(procRoot, pid, 'cmdline'), `${commandLine}\0`);
    await writeFile(
      join(procRoot, pid, 'stat'),
      `${pid} (x) S 1 1 1 0 -1 0 0 0 0 0 ${ticks} 0 0 0 20 0 1 0`,
    );
    await symlink(cwd, join(procRoot, pid, 'cwd'));
  }

  beforeAll(async () => {
    procRoot = await mkdtemp(join(tmpdir(), 'proc-'));
    await addProcess('10', 'postgres: 15/main: checkpointer', '/', 120);
    await addProcess('11', 'java\0kafka.Kafka\0server.properties', '/', 300);
    await addProcess('12', 'node\0src/main.ts', '/repo/packages/sandbox', 40);
    await addProcess('13', 'bash', '/', 999);
    await writeFile(join(procRoot, 'uptime'), '1 1');
  });

  afterAll(async () => {
    await rm(procRoot, { recursive: true, force: true });
  });

  it('sums the CPU time of each kind between two readings', async () => {
    const before = await readHostProcessCpu(procRoot);
    await rm(join(procRoot, '11'), { recursive: true });
    await addProcess('11', 'java\0kafka.Kafka\0server.properties', '/', 450);
    await addProcess('14', 'postgres: 15/main: orderflow_tax', '/', 30);

    const use = hostCpuBetween(before, await readHostProcessCpu(procRoot));

    expect(use).toEqual([
      { kind: 'Kafka broker', cpuSeconds: 1.5, processes: 1 },
      { kind: 'PostgreSQL', cpuSeconds: 0.3, processes: 2 },
      { kind: 'sandbox', cpuSeconds: 0, processes: 1 },
    ]);
  });
});
