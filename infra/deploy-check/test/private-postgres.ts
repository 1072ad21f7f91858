import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Result of one psql run. */
export interface PsqlResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A throwaway PostgreSQL cluster in a temporary folder that listens on a Unix socket there and on
 * no TCP port, so it cannot clash with other servers on the machine.
 */
export interface PrivatePostgres {
  /** Runs psql against the cluster with only the given variables in its environment. */
  psql(args: readonly string[], env?: Record<string, string>): PsqlResult;
  stop(): void;
}

const SOCKET_PORT = '5432';

/**
 * Client authentication. The superuser connects without a password to run the init script. Every
 * other role must send its SCRAM password, as on a server that the services reach over a network.
 */
const PG_HBA = 'local all postgres trust\nlocal all all scram-sha-256\n';

/** Finds a PostgreSQL program in PATH or in Debian's /usr/lib/postgresql/<version>/bin. */
function findProgram(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir !== '' && existsSync(join(dir, name))) return join(dir, name);
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const path = join(root, version, 'bin', name);
    if (existsSync(path)) return path;
  }
  throw new Error(
    `PostgreSQL program ${name} not found in PATH or /usr/lib/postgresql/*/bin. ` +
      'Install the PostgreSQL server package to run this test.',
  );
}

/**
 * Builds the command line for a server program. initdb exits with an error under root, so there
 * the programs run as the `postgres` system user, which the PostgreSQL packages create.
 */
function serverCommand(program: string, args: readonly string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [program, [...args]];
  return ['runuser', ['-u', 'postgres', '--', program, ...args]];
}

function runServerProgram(program: string, args: readonly string[]): void {
  const [command, commandArgs] = serverCommand(program, args);
  execFileSync(command, commandArgs, { stdio: 'pipe' });
}

/** Creates and starts a private cluster. Call `stop()` to end it and delete its folder. */
export function startPrivatePostgres(): PrivatePostgres {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-check-pg-'));
  const dataDir = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }

  const pgCtl = findProgram('pg_ctl');
  let started = false;
  const stop = () => {
    if (started) runServerProgram(pgCtl, ['-D', dataDir, '-m', 'immediate', 'stop']);
    started = false;
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    runServerProgram(findProgram('initdb'), [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '-N',
    ]);
    const hbaFile = join(dir, 'pg_hba.conf');
    writeFileSync(hbaFile, PG_HBA, { mode: 0o644 });
    const options = `-k ${dir} -p ${SOCKET_PORT} -c listen_addresses='' -c hba_file=${hbaFile}`;
    runServerProgram(pgCtl, [
      '-D',
      dataDir,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-o',
      options,
      'start',
    ]);
    started = true;
  } catch (error) {
    stop();
    throw error;
  }

  const psqlProgram = findProgram('psql');
  return {
    psql(args, env = {}) {
      const result = spawnSync(psqlProgram, ['-h', dir, '-p', SOCKET_PORT, ...args], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', ...env },
      });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    stop,
  };
}
