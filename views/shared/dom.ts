/** Small DOM helpers of the views: elements with text only (never HTML from a result), dates, durations. */

type Attrs = Record<string, string | number | boolean | undefined>;

/** An element with attributes and children; strings become text nodes (never parsed as HTML). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Array<Node | string | null | undefined | false>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

/** A duration in words: "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const hours = Math.floor(m / 60);
  if (hours < 48) return m % 60 ? `${hours} h ${m % 60} min` : `${hours} h`;
  const d = Math.floor(hours / 24);
  return hours % 24 ? `${d} d ${hours % 24} h` : `${d} d`;
}

/** An ISO instant as the host's locale shows it, in the host's time zone (UTC when unknown). */
export function when(iso: string | null | undefined, locale?: string, timeZone?: string): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: timeZone ?? 'UTC',
    timeZoneName: 'short',
  }).format(t);
}

/** The structured content of a tool result, or undefined for an error or a result without one. */
export function structured(result: {
  isError?: boolean | undefined;
  structuredContent?: unknown;
}): Record<string, unknown> | undefined {
  const data = result.structuredContent;
  if (result.isError || typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  return data as Record<string, unknown>;
}

/** Children for replaceChildren, without the absent ones. */
export function present(...nodes: Array<Node | string | null | undefined | false>): Array<Node | string> {
  return nodes.filter((n): n is Node | string => n !== null && n !== undefined && n !== false);
}

/** The text of a tool result (its text blocks joined), e.g. to show an error as the server wrote it. */
export function resultText(result: { content?: Array<{ type: string; text?: string }> | undefined }): string {
  return (result.content ?? [])
    .filter((c) => c.type === 'text' && typeof c.text === 'string')
    .map((c) => c.text)
    .join('\n');
}
