/**
 * How a confirmation question is declared: the arguments it reads (meta-tested to be fields of the tool's
 * input) and the sentence built from them, with the small builders several APIs' questions share.
 */
import { count, listOf, oneLine } from '../words.js';

/** A call's arguments as a question reads them: only the ones it declared. */
type Args<K extends string> = { readonly [P in K]: unknown };

/** One tool's confirmation question. */
export interface Wording {
  /** The arguments the question reads; each is a field of the tool's input schema (meta-tested). */
  readonly args: readonly string[];
  /** The question, from the call's arguments. */
  ask(args: Readonly<Record<string, unknown>>): string;
  /**
   * For the highest-risk tools: the text the user must type to confirm (the target's id), as GitHub does
   * for deleting a repository, rather than tick a box.
   */
  typed?(args: Readonly<Record<string, unknown>>): string | undefined;
}

function pick<K extends string>(names: readonly K[], args: Readonly<Record<string, unknown>>): Args<K> {
  const out: Record<string, unknown> = {};
  for (const name of names) out[name] = args[name];
  return out as Args<K>;
}

/** Declares a question that reads exactly the arguments `names`. */
export function ask<const K extends string>(
  names: readonly K[],
  question: (a: Args<K>) => string,
  typed?: (a: Args<K>) => string | undefined,
): Wording {
  return {
    args: names,
    ask: (args) => question(pick(names, args)),
    ...(typed ? { typed: (args: Readonly<Record<string, unknown>>) => typed(pick(names, args)) } : {}),
  };
}

/** True for an argument the call gave (not absent, null or empty). */
export const given = (v: unknown) => v !== undefined && v !== null && v !== '';
/** A non-empty string argument, else undefined (a typed confirmation's expected text). */
export const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** Named changes, e.g. ["rename to \"Ops\"", "recovery window 300 s"]. */
export function changes(entries: readonly [unknown, (v: unknown) => string][]): string {
  const said = entries.filter(([v]) => given(v)).map(([v, say]) => say(v));
  return said.length ? listOf(said) : 'no field given (nothing would change)';
}

/** A change of a duration in seconds, e.g. "recovery window 300 s". */
export const seconds = (label: string) => (v: unknown) => `${label} ${oneLine(v, 12)} s`;
/** A change of a list field, with its item count when it is an array. */
export const fields = (label: string) => (v: unknown) =>
  label + (Array.isArray(v) ? ` (${count(v.length, 'item')})` : '');
