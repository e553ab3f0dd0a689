/** Route tables: matching a method and path against patterns, with percent-decoded parameters. */
/** What a route table entry needs for matching: a method, a pattern with one group per parameter, their names. */
export interface RoutePattern {
  method: string;
  pattern: RegExp;
  names: readonly string[];
}

/**
 * The first route of `routes` for `method` whose pattern matches `path`, with its parameters percent-decoded;
 * undefined when none matches or a parameter is not valid percent-encoding.
 */
export function findRoute<R extends RoutePattern>(
  routes: readonly R[],
  method: string,
  path: string,
): { route: R; params: Record<string, string> } | undefined {
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    try {
      r.names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] ?? '');
      });
    } catch {
      return undefined;
    }
    return { route: r, params };
  }
  return undefined;
}
