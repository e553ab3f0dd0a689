/**
 * The sentence for a search answer that came back full. The memory services return at most the asked number
 * of results and say nothing of the rest, so an answer that reached its cap may hide more matches: the model
 * is told so, and which argument raises the cap, instead of reading the list as everything that matched.
 */

export interface Cap {
  /** The service, as the model reads it ("Synap"). */
  service: string;
  /** What came back, plural ("memories", "decisions"). */
  noun: string;
  /** The tool argument that raises the cap. */
  arg: string;
  /** The cap the caller asked for, if any. */
  asked: number | undefined;
  /** The cap in force when `arg` was not given. */
  fallback: number;
  /** Whose default `fallback` is ("Synap's default", "the default syn-mcp sends"). */
  fallbackIs: string;
  /** The highest value `arg` takes. */
  max: number;
}

/** Undefined when fewer came back than the cap allowed. */
export function cappedText(count: number, cap: Cap): string | undefined {
  const limit = cap.asked ?? cap.fallback;
  if (count < limit) return undefined;
  const which =
    cap.asked === undefined
      ? `${cap.fallbackIs} of ${limit}, as ${cap.arg} was not given`
      : `${cap.arg} ${limit}`;
  // More than the cap came back: the service did not keep to it, so the answer is not "full at its cap", but
  // it still need not be everything that matched.
  const held = count === limit ? `its cap (${which})` : `more than the cap asked (${which})`;
  return (
    `${cap.service} returned ${count} ${cap.noun}, ${held}: more may match and were not returned; ` +
    `raise ${cap.arg} (at most ${cap.max}) or narrow the search.`
  );
}
