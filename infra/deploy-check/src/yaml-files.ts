import { parseAllDocuments } from 'yaml';
import type { Finding } from './findings.js';

/** One document of a YAML file, converted to plain values. */
export interface YamlDocument {
  readonly file: string;
  /** Position of the document in its file, from 0. */
  readonly index: number;
  readonly value: unknown;
}

/**
 * Parses every document of a YAML file. Syntax errors, duplicate keys included, become findings
 * with their line numbers, and documents with errors are left out.
 *
 * `<<` merge keys are resolved as Docker Compose and kubectl resolve them, which YAML 1.2 alone
 * does not do.
 */
export function parseYamlFile(
  file: string,
  text: string,
): { documents: YamlDocument[]; findings: Finding[] } {
  const documents: YamlDocument[] = [];
  const findings: Finding[] = [];
  const parsed = parseAllDocuments(text, { merge: true, prettyErrors: true });
  if (!Array.isArray(parsed)) return { documents, findings };

  parsed.forEach((document, index) => {
    if (document.errors.length > 0) {
      for (const error of document.errors) {
        const line = error.linePos?.[0].line;
        const where = line === undefined ? '' : ` at line ${line}`;
        const message = `invalid YAML${where}: ${error.message.split('\n')[0]}`;
        findings.push({ file, rule: 'yaml/syntax', message });
      }
      return;
    }
    const value: unknown = document.toJS({ maxAliasCount: 1000 });
    if (value !== null && value !== undefined) documents.push({ file, index, value });
  });
  return { documents, findings };
}
