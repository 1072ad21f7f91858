import { loadModule, parseSync } from 'libpg-query';
import type { Finding } from '../findings.js';
import { arrayAt, isMapping, mappingAt, stringAt } from '../values.js';

/** Roles, databases and environment variables of the init script, from PostgreSQL's parser. */
export interface InitSqlSummary {
  readonly roles: string[];
  /** Each created database with its OWNER, or `undefined` when the statement names none. */
  readonly databases: { name: string; owner: string | undefined }[];
  /** Environment variables that `\getenv` reads. */
  readonly environmentVariables: string[];
}

/**
 * psql variable references, `:'name'` (quoted literal) and `:name` (verbatim). The lookbehind
 * keeps type casts such as `'1'::int` out.
 */
const PSQL_VARIABLE = /(?<![:\w]):'([A-Za-z_][A-Za-z0-9_]*)'|(?<![:\w]):([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * A `--` comment to the end of the line. It is removed before variables are replaced, so that
 * comments may mention `:'name'`.
 * NOTE: a `--` inside a string literal would be cut as well; the init script has none.
 */
const LINE_COMMENT = /--.*$/;

/**
 * Parses the init script that the postgres image runs with psql. psql meta-commands are
 * handled first, as psql would: `\getenv` lines are read and removed, and variable references
 * become placeholders. Any other meta-command is reported, because this check does not model it.
 * The remaining SQL goes through libpg-query, which is PostgreSQL's parser compiled to
 * WebAssembly (the 18 grammar, a superset of 16's for these statements). The summary is
 * `undefined` when the parser rejects the script.
 */
export async function parseInitSql(
  file: string,
  text: string,
): Promise<{ summary: InitSqlSummary | undefined; findings: Finding[] }> {
  const findings: Finding[] = [];
  const environmentVariables: string[] = [];
  const variables = new Set<string>();
  const sqlLines = text.split('\n').map((line, index) => {
    const trimmed = line.trim();
    if (!trimmed.startsWith('\\')) return line.replace(LINE_COMMENT, '');
    const getenv = /^\\getenv\s+([A-Za-z_][A-Za-z0-9_]*)\s+([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(
      trimmed,
    );
    if (getenv) {
      variables.add(getenv[1] as string);
      environmentVariables.push(getenv[2] as string);
    } else {
      const message = `line ${index + 1}: psql meta-command ${trimmed.split(/\s/)[0]} is not supported by this check`;
      findings.push({ file, rule: 'init-sql/meta-command', message });
    }
    return '';
  });

  const sql = sqlLines.join('\n').replace(PSQL_VARIABLE, (_reference, quoted, verbatim) => {
    const name = (quoted ?? verbatim) as string;
    if (!variables.has(name)) {
      const message = `psql variable ${name} is used but no \\getenv sets it`;
      findings.push({ file, rule: 'init-sql/variable', message });
    }
    return quoted === undefined ? `psql_${name}` : `'value of ${name}'`;
  });

  const summary: InitSqlSummary = { roles: [], databases: [], environmentVariables };
  await loadModule();
  try {
    collectStatements(parseSync(sql), summary);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const message = `PostgreSQL parser rejected the script: ${reason}`;
    findings.push({ file, rule: 'init-sql/syntax', message });
    return { summary: undefined, findings };
  }
  return { summary, findings };
}

function collectStatements(result: unknown, summary: InitSqlSummary): void {
  for (const entry of arrayAt(result, 'stmts')) {
    const statement = mappingAt(entry, 'stmt');
    const createRole = mappingAt(statement, 'CreateRoleStmt');
    const role = stringAt(createRole, 'role');
    if (role !== undefined) summary.roles.push(role);

    const createDatabase = mappingAt(statement, 'CreatedbStmt');
    const name = stringAt(createDatabase, 'dbname');
    if (name !== undefined) summary.databases.push({ name, owner: ownerOf(createDatabase) });
  }
}

function ownerOf(createDatabase: unknown): string | undefined {
  for (const option of arrayAt(createDatabase, 'options')) {
    const definition = mappingAt(option, 'DefElem');
    if (stringAt(definition, 'defname') !== 'owner') continue;
    const argument = mappingAt(definition, 'arg');
    const value = mappingAt(argument, 'String');
    return isMapping(value) ? stringAt(value, 'sval') : undefined;
  }
  return undefined;
}
