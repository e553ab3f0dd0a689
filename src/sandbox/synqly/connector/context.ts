/** What the Connector routes share: the integration's data, path parameters, `include_raw_data`. */
import { type ConnectorData, dataOf, type Obj } from '../model.js';
import type { RouteContext } from '../route.js';

/** The connector data of the integration the token belongs to. */
export function data(ctx: RouteContext): ConnectorData {
  return dataOf(ctx.state, ctx.token.integrationId ?? '');
}

/** A path parameter (empty when missing). */
export function param(ctx: RouteContext, name: string): string {
  return ctx.params[name] ?? '';
}

/** The items with `raw_data` added when `include_raw_data=true`. */
export function withRaw(items: Obj[], query: URLSearchParams): Obj[] {
  if (query.get('include_raw_data') !== 'true') return items;
  return items.map((e) => ({ ...e, raw_data: JSON.stringify(e) }));
}
