/** Reading a Management request: its JSON object body, typed optional fields (→ 400) and path parameters. */
import type { Obj } from '../model.js';
import { badRequest } from '../problem.js';
import type { RouteContext } from '../route.js';

/** The JSON object body (`{}` when absent and not `required`); 400 otherwise. */
export function bodyObject(ctx: RouteContext, required: boolean): Obj {
  const body = ctx.req.json;
  if (body === undefined && !required) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object', { id: 'body', location: 'body' });
  }
  return body as Obj;
}

/** A string field, undefined when absent or null; 400 when not a non-empty string. */
export function optString(body: Obj, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v === '') {
    throw badRequest(
      `Invalid ${key}`,
      { id: key, location: 'body', value: v },
      { detail: `${key} must be a non-empty string.` },
    );
  }
  return v;
}

/** A list of strings, undefined when absent or null; 400 when not one. */
export function optStringArray(body: Obj, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
    throw badRequest(
      `Invalid ${key}`,
      { id: key, location: 'body', value: v },
      { detail: `${key} must be an array of strings.` },
    );
  }
  return v as string[];
}

/** An object field, undefined when absent or null; 400 when not an object. */
export function optObject(body: Obj, key: string): Obj | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw badRequest(`Invalid ${key}`, { id: key, location: 'body', value: v });
  }
  return v as Obj;
}

/** A list field, undefined when absent or null; 400 when not a list. */
export function optArray(body: Obj, key: string): unknown[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw badRequest(`Invalid ${key}`, { id: key, location: 'body', value: v });
  return v;
}

/** A path parameter (empty when missing). */
export function param(ctx: RouteContext, name: string): string {
  return ctx.params[name] ?? '';
}
