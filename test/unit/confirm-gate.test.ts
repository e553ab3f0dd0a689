/**
 * The confirmation gate (src/confirm/gate.ts) over real tool definitions and a real sealer: when it lets a
 * call through, refuses it, or asks; rounds that only an answer beside this server's own state settles.
 */
import { describe, expect, it } from 'vitest';
import type { ElicitAnswer } from '../../src/confirm/answer.js';
import {
  CONFIRM_INPUT,
  confirmGate,
  type FormElicitation,
  type GateCall,
  type Reach,
} from '../../src/confirm/gate.js';
import type { ConfirmMode } from '../../src/confirm/policy.js';
import { createStateSealer, StateError } from '../../src/confirm/state.js';
import type { AnyToolDef } from '../../src/tool.js';
import { TOOLSETS } from '../../tools/index.js';

const byName = new Map(TOOLSETS.flatMap((s) => s.tools).map((t) => [t.name, t]));
function tool(name: string): AnyToolDef {
  const t = byName.get(name);
  if (!t) throw new Error(`no tool ${name}`);
  return t;
}

const DELETE: GateCall = { tool: tool('delete_memory'), args: { memory_id: 'mem_7' }, principal: '' };
const ACCOUNT: GateCall = { tool: tool('delete_account'), args: { accountId: 'acc_123' }, principal: '' };
const READ: GateCall = { tool: tool('search_memory'), args: { query: 'x' }, principal: '' };
const WRITE: GateCall = { tool: tool('add_memory'), args: { document: 'note' }, principal: '' };

/** A 2025 session that answers every elicitation with `answer` and records what it was asked. */
function push(answer: ElicitAnswer | Error): { reach: Reach; asked: FormElicitation[] } {
  const asked: FormElicitation[] = [];
  return {
    asked,
    reach: {
      kind: 'push',
      async ask(params) {
        asked.push(params as FormElicitation);
        if (answer instanceof Error) throw answer;
        return answer;
      },
    },
  };
}

function rounds(requestState?: string, inputResponses?: Record<string, unknown>): Reach {
  return { kind: 'rounds', requestState, inputResponses };
}

describe('the confirmation gate', () => {
  const sealer = createStateSealer();
  const gate = (call: GateCall, reach: Reach, mode: ConfirmMode = 'destructive') =>
    confirmGate(call, { mode, sealer, reach });

  it('lets through what needs no confirmation under the mode, and everything when no form can be shown', async () => {
    const { reach, asked } = push({ action: 'decline' });
    expect(await gate(READ, reach, 'writes')).toEqual({ kind: 'proceed' });
    expect(await gate(WRITE, reach, 'destructive')).toEqual({ kind: 'proceed' });
    expect(await gate(DELETE, reach, 'off')).toEqual({ kind: 'proceed' });
    expect(asked).toEqual([]);
    expect(await gate(DELETE, { kind: 'none' })).toEqual({ kind: 'proceed' });
    expect((await gate(WRITE, reach, 'writes')).kind).toBe('refused');
  });

  describe('on a 2025 session (push)', () => {
    it('asks once with the tool question and goes ahead on a ticked box', async () => {
      const { reach, asked } = push({ action: 'accept', content: { confirm: true } });
      expect(await gate(DELETE, reach)).toEqual({ kind: 'proceed' });
      expect(asked).toHaveLength(1);
      expect(asked[0]?.mode).toBe('form');
      expect(asked[0]?.message).toMatch(/^Permanently delete Synap memory mem_7\?/);
      expect(asked[0]?.requestedSchema.properties.confirm).toMatchObject({ type: 'boolean', default: false });
    });

    it('refuses, saying nothing was changed, on decline, cancel, an unticked box, a wrong name or no answer', async () => {
      for (const [call, answer, reason] of [
        [DELETE, { action: 'decline' }, 'declined'],
        [DELETE, { action: 'cancel' }, 'cancelled'],
        [DELETE, { action: 'accept', content: { confirm: false } }, 'the box was left unticked'],
        [DELETE, { action: 'accept', content: { confirm: 'yes' } }, 'the form did not match what was asked'],
        [ACCOUNT, { action: 'accept', content: { confirm: 'acc_12' } }, 'the text typed was not acc_123'],
        [DELETE, new Error('Request timed out'), 'no answer came back'],
      ] as const) {
        const outcome = await gate(call, push(answer).reach);
        expect(outcome.kind).toBe('refused');
        if (outcome.kind !== 'refused') continue;
        expect(outcome.result.isError).toBe(true);
        expect(outcome.result.content[0].text).toContain(
          `not confirmed by the user (${reason}); nothing was changed`,
        );
      }
    });

    it('goes ahead on a typed confirmation when the account id is typed', async () => {
      const { reach, asked } = push({ action: 'accept', content: { confirm: 'acc_123' } });
      expect(await gate(ACCOUNT, reach)).toEqual({ kind: 'proceed' });
      expect(asked[0]?.requestedSchema.properties.confirm).toMatchObject({ type: 'string' });
    });
  });

  describe('on 2026-07-28 requests (rounds)', () => {
    it('asks first, with sealed state, and goes ahead when the retry carries that state and a yes', async () => {
      const first = await gate(DELETE, rounds());
      if (first.kind !== 'ask') throw new Error(`expected ask, got ${first.kind}`);
      expect(Object.keys(first.inputRequests)).toEqual([CONFIRM_INPUT]);
      expect(first.inputRequests.confirm?.message).toMatch(/^Permanently delete Synap memory mem_7\?/);
      const yes = { [CONFIRM_INPUT]: { action: 'accept', content: { confirm: true } } };
      expect(await gate(DELETE, rounds(first.requestState, yes))).toEqual({ kind: 'proceed' });
    });

    it('refuses on a no, and says so', async () => {
      const first = await gate(DELETE, rounds());
      if (first.kind !== 'ask') throw new Error('expected ask');
      const outcome = await gate(DELETE, rounds(first.requestState, { confirm: { action: 'decline' } }));
      expect(outcome.kind).toBe('refused');
    });

    it('asks (again) when a yes comes without this server state: the model cannot forge an answer', async () => {
      const forged = { [CONFIRM_INPUT]: { action: 'accept', content: { confirm: true } } };
      expect((await gate(DELETE, rounds(undefined, forged))).kind).toBe('ask');
      // State, but no answer (or an answer that is not an elicitation result): asked again, with fresh state.
      const first = await gate(DELETE, rounds());
      if (first.kind !== 'ask') throw new Error('expected ask');
      const again = await gate(DELETE, rounds(first.requestState, { confirm: 'yes' }));
      if (again.kind !== 'ask') throw new Error('expected ask');
      expect(again.requestState).not.toBe(first.requestState);
    });

    it('refuses state that is reused, tampered, or issued for other arguments, tool or caller (StateError)', async () => {
      const yes = { [CONFIRM_INPUT]: { action: 'accept', content: { confirm: true } } };
      const asked = async (call: GateCall) => {
        const o = await gate(call, rounds());
        if (o.kind !== 'ask') throw new Error('expected ask');
        return o.requestState;
      };
      const s1 = await asked(DELETE);
      await gate(DELETE, rounds(s1, yes));
      await expect(gate(DELETE, rounds(s1, yes))).rejects.toMatchObject({ fault: 'reused' });
      const s2 = await asked(DELETE);
      await expect(gate({ ...DELETE, args: { memory_id: 'mem_8' } }, rounds(s2, yes))).rejects.toMatchObject({
        fault: 'mismatch',
      });
      await expect(gate({ ...DELETE, principal: 'bob' }, rounds(s2, yes))).rejects.toMatchObject({
        fault: 'mismatch',
      });
      await expect(
        gate({ ...DELETE, tool: tool('delete_decision') }, rounds(s2, yes)),
      ).rejects.toBeInstanceOf(StateError);
      // One bit of the IV changed (the first character after "s1." is fully significant).
      const tampered = `s1.${s2[3] === 'A' ? 'B' : 'A'}${s2.slice(4)}`;
      await expect(gate(DELETE, rounds(tampered, yes))).rejects.toMatchObject({ fault: 'tampered' });
      // The refusals spent nothing: the right call with its own state still goes ahead.
      expect(await gate(DELETE, rounds(s2, yes))).toEqual({ kind: 'proceed' });
    });
  });
});
