/**
 * The Synqly minted-token cache's shared flight and each caller's cancellation: a caller that cancels stops
 * waiting at once without cancelling the mint the others wait on, and when the mint itself is cancelled with
 * the call that started it, a caller still waiting mints for itself instead of failing with someone else's
 * cancellation.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { MintedTokens, type TokenSlot } from '../../src/credentials/synqly/minted-tokens.js';
import { CancelledError } from '../../src/errors.js';

const slot: TokenSlot = {
  key: 'base\norg\nacct\nintg',
  sharedKey: 'synqly-token:test',
  sealKey: Buffer.alloc(32),
};

/** A mint the test settles by hand; it rejects with CancelledError when `signal` aborts, as the client does. */
function controlledMint(secret: string, signal?: AbortSignal) {
  let calls = 0;
  let finish: () => void = () => {};
  const mint = () => {
    calls++;
    return new Promise<{ secret: string; expires: number | undefined }>((resolve, reject) => {
      finish = () => resolve({ secret, expires: Date.now() + 3_600_000 });
      signal?.addEventListener('abort', () => reject(new CancelledError()));
    });
  };
  return { mint, finish: () => finish(), calls: () => calls };
}

/** A cache of its own per test. */
let mintedTokens: MintedTokens;
beforeEach(() => {
  mintedTokens = new MintedTokens();
});

describe('minted tokens: shared mint, separate cancellation', () => {
  it('a waiting caller that cancels gets CancelledError; the mint goes on and is cached for the next', async () => {
    const a = controlledMint('tok-a');
    const first = mintedTokens.get(slot, a.mint, new AbortController().signal);
    const waiter = new AbortController();
    const second = mintedTokens.get(slot, a.mint, waiter.signal);
    waiter.abort();
    await expect(second).rejects.toBeInstanceOf(CancelledError);
    a.finish();
    await expect(first).resolves.toMatchObject({ token: { secret: 'tok-a' }, minted: true });
    const later = controlledMint('never');
    await expect(mintedTokens.get(slot, later.mint)).resolves.toMatchObject({
      token: { secret: 'tok-a' },
      minted: false,
    });
    expect(a.calls()).toBe(1);
    expect(later.calls()).toBe(0);
  });

  it("the starter's cancellation ends its mint; a caller still waiting mints for itself", async () => {
    const starter = new AbortController();
    const a = controlledMint('tok-a', starter.signal);
    const first = mintedTokens.get(slot, a.mint, starter.signal);
    const b = controlledMint('tok-b');
    const second = mintedTokens.get(slot, b.mint, new AbortController().signal);
    starter.abort();
    await expect(first).rejects.toBeInstanceOf(CancelledError);
    // The second caller's own mint is under way once the first one has failed: finish it.
    await expect.poll(() => b.calls()).toBe(1);
    b.finish();
    await expect(second).resolves.toMatchObject({ token: { secret: 'tok-b' }, minted: true });
    expect(a.calls()).toBe(1);
  });

  it('an already cancelled caller is refused at once, and starts no mint', async () => {
    const gone = new AbortController();
    gone.abort();
    const a = controlledMint('tok-a');
    await expect(mintedTokens.get(slot, a.mint, gone.signal)).rejects.toBeInstanceOf(CancelledError);
    expect(a.calls()).toBe(0);
  });
});
