/** The doctor's report: its checks and sections, the helpers that make a check, and the terminal rendering. */

import type { ServiceName } from '../../errors.js';
import { stripInvisible } from '../../fence.js';
import { redact } from '../../http/redact.js';

/** Outcome of one check. */
export type Status = 'ok' | 'warn' | 'fail' | 'skip';

/** One line of the report. */
export interface Check {
  name: string;
  status: Status;
  detail: string;
  /** What to do about a `fail` or `warn`. */
  fix?: string;
}

/** The checks of one section (a service, the runtime, the client configuration). */
export interface Section {
  id: ServiceName | 'runtime' | 'client' | 'settings';
  title: string;
  checks: Check[];
}

/** What `doctor --json` prints. */
export interface DoctorReport {
  ok: boolean;
  problems: number;
  warnings: number;
  sections: Section[];
  tools?: { count: number; tokens: number; largest: number; byToolset: Record<string, string[]> };
}

/** A passed check. */
export const ok = (name: string, detail: string): Check => ({ name, status: 'ok', detail });
/** A check that passed with a caveat, and its fix. */
export const warn = (name: string, detail: string, fix: string): Check => ({
  name,
  status: 'warn',
  detail,
  fix,
});
/**
 * Upstream text fit for the report: invisible characters out and secrets redacted first, then one line cut
 * to `max` characters (a cut before redaction could leave half a secret that no longer matches).
 */
export function clip(text: string, max: number): string {
  const line = redact(stripInvisible(text)).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** A failed check, and its fix. */
export const fail = (name: string, detail: string, fix: string): Check => ({
  name,
  status: 'fail',
  detail,
  fix,
});
/** A check not tried, and why. */
export const skip = (name: string, detail: string): Check => ({ name, status: 'skip', detail });

const TAG: Readonly<Record<Status, string>> = {
  ok: '[ok]  ',
  warn: '[warn]',
  fail: '[FAIL]',
  skip: '[--]  ',
};

/** The report as the terminal shows it. */
export function formatReport(report: DoctorReport, version: string): string {
  const lines: string[] = [`syn-mcp doctor ${version}`];
  for (const section of report.sections) {
    lines.push('', section.title);
    for (const c of section.checks) {
      lines.push(`  ${TAG[c.status]} ${c.name}: ${c.detail}`);
      if (c.fix && c.status !== 'ok') lines.push(`         fix: ${c.fix}`);
    }
  }
  if (report.tools) {
    const t = report.tools;
    lines.push(
      '',
      `Tools: ${t.count} would be enabled, ${t.tokens} tokens in all (o200k; largest ${t.largest})`,
    );
    const width = Math.max(0, ...Object.keys(t.byToolset).map((k) => k.length));
    for (const [toolset, names] of Object.entries(t.byToolset))
      lines.push(`  ${toolset.padEnd(width)}  ${names.join(', ')}`);
  }
  lines.push(
    '',
    report.ok
      ? `No problems found${report.warnings > 0 ? ` (${report.warnings} warning${report.warnings === 1 ? '' : 's'})` : ''}.`
      : `${report.problems} problem${report.problems === 1 ? '' : 's'} found. Apply the fixes above, then run syn-mcp doctor again.`,
  );
  return `${lines.join('\n')}\n`;
}
