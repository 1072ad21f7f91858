/** One problem in a deployment file. The check passes when it finds none. */
export interface Finding {
  /** Path relative to the repository root, with `/` separators. */
  readonly file: string;
  /** Stable rule id such as `dockerfile/user`, for filtering and for tests. */
  readonly rule: string;
  readonly message: string;
}

/** Formats a finding as one line: `file: message [rule]`. */
export function formatFinding(finding: Finding): string {
  return `${finding.file}: ${finding.message} [${finding.rule}]`;
}
