/**
 * The documentation as a newcomer meets it: the README stays short (≤ 12 KB, the rest lives in docs/ and
 * bench/README.md), and every relative link of the README and those pages reaches a file of this repository
 * and, when it names a section, a heading of that file (GitHub's anchors). The tool table of docs/tools.md is
 * checked by test/registry.test.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PAGES = [
  'README.md',
  'bench/README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The text outside fenced code blocks, where links and headings mean something. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}

function anchorsOf(file: string): Set<string> {
  const headings = prose(readFileSync(file, 'utf8')).match(/^#{1,6} .+$/gm) ?? [];
  return new Set(headings.map((h) => anchorOf(h.replace(/^#+ /, ''))));
}

describe('the documentation', () => {
  it('keeps the README at most 12 KB', () => {
    expect(statSync(join(ROOT, 'README.md')).size).toBeLessThanOrEqual(12 * 1024);
  });

  it('has the pages the README links to', () => {
    expect(PAGES).toEqual(
      expect.arrayContaining([
        'docs/architecture.md',
        'docs/configuration.md',
        'docs/http.md',
        'docs/model.md',
        'docs/tools.md',
        'docs/troubleshooting.md',
      ]),
    );
  });

  for (const page of PAGES) {
    it(`${page}: every relative link reaches a file and heading of the repository`, () => {
      const text = prose(readFileSync(join(ROOT, page), 'utf8'));
      const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
      const local = targets.filter((t) => !/^[a-z]+:/.test(t));
      // The README reaches every page of docs/ and bench/README.md (so the link check below has something to do).
      if (page === 'README.md') for (const other of PAGES.slice(1)) expect(local).toContain(other);
      for (const target of local) {
        const [path = '', anchor] = target.split('#');
        const file = path === '' ? join(ROOT, page) : join(ROOT, dirname(page), path);
        expect(existsSync(file), `${page} links to ${target}`).toBe(true);
        expect(relative(ROOT, file).startsWith('..'), `${page} links outside the repository`).toBe(false);
        if (anchor !== undefined) expect(anchorsOf(file), `${page} links to ${target}`).toContain(anchor);
      }
    });
  }
});
