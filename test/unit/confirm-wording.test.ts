/**
 * What the user is asked before a confirmed call (src/confirm/wording.ts, answer.ts, policy.ts): a registry
 * meta-test over the real catalog (every destructive and write tool has its own question, which reads only
 * fields of the tool's input), the questions themselves, the form, and how answers are judged.
 */
import { describe, expect, it } from 'vitest';
import { judge, notConfirmedResult } from '../../src/confirm/answer.js';
import { CONFIRM_MODES, needsConfirmation } from '../../src/confirm/policy.js';
import { CONFIRM_FIELD, confirmationFor, WORDINGS } from '../../src/confirm/wording.js';
import type { AnyToolDef, ToolAnnotations } from '../../src/tool.js';
import { TOOLSETS } from '../../tools/index.js';

const TOOLS: AnyToolDef[] = [...new Map(TOOLSETS.flatMap((s) => s.tools).map((t) => [t.name, t])).values()];
const byName = new Map(TOOLS.map((t) => [t.name, t]));
const DESTRUCTIVE = TOOLS.filter((t) => t.annotations.destructiveHint);
const WRITES = TOOLS.filter((t) => !t.annotations.readOnlyHint);

function tool(name: string): AnyToolDef {
  const t = byName.get(name);
  if (!t) throw new Error(`no tool ${name}`);
  return t;
}

/** A distinctive value for every field of a tool's input, by its zod type. */
function sampleArgs(t: AnyToolDef): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(t.input.shape)) {
    const json = JSON.stringify((schema as { toJSONSchema(): unknown }).toJSONSchema());
    if (json.includes('"type":"string"')) out[name] = `${name}-v1`;
    else if (json.includes('"type":"integer"') || json.includes('"type":"number"')) out[name] = 42;
    else if (json.includes('"type":"boolean"')) out[name] = false;
    else if (json.includes('"type":"array"')) out[name] = [];
    else out[name] = {};
  }
  return out;
}

describe('confirmation questions: the registry', () => {
  it('covers the catalog: 17 destructive tools and every other write tool', () => {
    expect(DESTRUCTIVE.map((t) => t.name).sort()).toEqual(
      [
        'consolidate_memory',
        'deactivate_tenant',
        'delete_account',
        'delete_byok_credential',
        'delete_decision',
        'delete_file',
        'delete_integration',
        'delete_memory',
        'disable_identity_user',
        'import_mif',
        'remove_alert_channel',
        'rotate_api_key',
        'update_identity_kernel',
        'update_memory',
        'update_product_state',
        'update_ticket',
        'upload_file',
      ].sort(),
    );
    expect(WRITES.length).toBeGreaterThan(DESTRUCTIVE.length);
  });

  it('has a question of its own for every destructive tool and every write tool (no generic fallback)', () => {
    const missing = WRITES.filter((t) => !WORDINGS[t.name]).map((t) => t.name);
    expect(missing).toEqual([]);
    for (const t of WRITES) expect(confirmationFor(t, sampleArgs(t)).specific).toBe(true);
  });

  it('has no question for a tool that does not exist or cannot change anything', () => {
    for (const name of Object.keys(WORDINGS)) {
      expect(byName.has(name), `${name} is not a tool`).toBe(true);
      expect(tool(name).annotations.readOnlyHint, `${name} is read-only`).toBe(false);
    }
  });

  it('reads only arguments that are fields of the tool input schema', () => {
    for (const [name, wording] of Object.entries(WORDINGS)) {
      const fields = Object.keys(tool(name).input.shape);
      for (const arg of wording.args) expect(fields, `${name} reads ${arg}`).toContain(arg);
    }
  });

  it('names the tool and its target: every required id-like argument appears in the question', () => {
    for (const t of WRITES) {
      const args = sampleArgs(t);
      const { message } = confirmationFor(t, args);
      expect(message).toContain(`syn-mcp tool ${t.name}`);
      expect(message).toContain('Nothing is sent until you confirm.');
      const question = message.split('\n')[0] ?? '';
      expect(question).toMatch(/\?/);
      const wording = WORDINGS[t.name];
      const ids = (wording?.args ?? []).filter((a) => /(^id$|Id$|_id$|^path$|^provider$|^name$)/.test(a));
      for (const id of ids) {
        if (typeof args[id] === 'string')
          expect(question, `${t.name} names ${id}`).toContain(String(args[id]));
      }
    }
  });

  it('never throws on arguments left out, whatever the tool', () => {
    for (const t of WRITES) {
      expect(() => confirmationFor(t, {})).not.toThrow();
      expect(confirmationFor(t, {}).message.length).toBeGreaterThan(20);
    }
  });

  it('falls back to a generic question naming the tool for a tool without one', () => {
    const c = confirmationFor(
      {
        name: 'purge_everything',
        title: 'X · Purge everything',
        annotations: {
          readOnlyHint: false,
          destructiveHint: true,
          idempotentHint: false,
          openWorldHint: true,
        },
      },
      { scope: 'all' },
    );
    expect(c.specific).toBe(false);
    expect(c.message).toContain('Run "X · Purge everything" with the arguments {"scope":"all"}?');
    expect(c.message).toContain('purge_everything');
  });
});

describe('confirmation questions: the words', () => {
  it('asks about a Synqly account by its id, and has the user type it', () => {
    const c = confirmationFor(tool('delete_account'), { accountId: 'acc_123' });
    expect(c.message.split('\n')[0]).toBe(
      'Delete Synqly account acc_123 together with all its integrations and their tokens? Irreversible: its ' +
        'connectors stop working at once.',
    );
    expect(c.expected).toBe('acc_123');
    expect(c.requestedSchema).toEqual({
      type: 'object',
      properties: {
        confirm: {
          type: 'string',
          title: 'Type acc_123 to confirm',
          description: 'Type exactly acc_123; anything else cancels. Irreversible.',
          minLength: 1,
          maxLength: 200,
        },
      },
      required: ['confirm'],
    });
  });

  it('asks with a box, unticked by default, for the other destructive tools', () => {
    const c = confirmationFor(tool('delete_memory'), { memory_id: 'mem_7' });
    expect(c.message.split('\n')[0]).toBe('Permanently delete Synap memory mem_7?');
    expect(c.expected).toBeUndefined();
    expect(c.requestedSchema.properties[CONFIRM_FIELD]).toEqual({
      type: 'boolean',
      title: 'Confirm this change',
      description: 'Tick to let syn-mcp make this call; leave it unticked to cancel.',
      default: false,
    });
    const typed = DESTRUCTIVE.filter((t) => confirmationFor(t, sampleArgs(t)).expected !== undefined);
    expect(typed.map((t) => t.name).sort()).toEqual(['delete_account', 'delete_integration']);
  });

  it('words the target in plain terms per API', () => {
    const ask = (name: string, args: Record<string, unknown>) =>
      confirmationFor(tool(name), args).message.split('\n')[0];
    expect(ask('delete_integration', { accountId: 'acc_1', integrationId: 'int_2' })).toBe(
      'Delete Synqly integration int_2 of account acc_1 and revoke its tokens? Irreversible: the connector ' +
        'stops working at once.',
    );
    expect(ask('delete_file', { path: 'reports/a.txt' })).toBe(
      'Delete the file reports/a.txt from the storage of the Synqly integration of SYNQLY_INTEGRATION_TOKEN? ' +
        'Irreversible.',
    );
    expect(
      ask('upload_file', {
        accountId: 'a1',
        integrationId: 'i1',
        path: 'x.bin',
        content: 'AAAA',
        encoding: 'base64',
      }),
    ).toBe(
      'Write 3 bytes to the file x.bin in the storage of Synqly integration i1 (account a1), replacing any file ' +
        'at that path?',
    );
    expect(ask('rotate_api_key', {})).toMatch(
      /^Rotate the SyncGuard API key\? The current key stops working at once/,
    );
    expect(ask('deactivate_tenant', { id: 'ten_5' })).toBe(
      'Deactivate SyncGuard tenant ten_5? (activate_tenant switches it back on.)',
    );
    expect(ask('delete_byok_credential', { id: 'cred_1' })).toBe(
      'Remove Synchronex BYOK credential cred_1? AI workers stop using that key.',
    );
    expect(
      ask('update_ticket', {
        ticketId: 'T-9',
        operations: [
          { op: 'replace', path: '/status', value: 'done' },
          { op: 'add', path: '/tags/-', value: 'x' },
        ],
      }),
    ).toBe(
      'Change ticket T-9 through the Synqly integration of SYNQLY_INTEGRATION_TOKEN with 2 JSON Patch ' +
        'operations (replace /status, add /tags/-)?',
    );
    expect(ask('update_product_state', { name: 'syn-mcp', status: 'beta', what_works: ['a', 'b'] })).toBe(
      'Overwrite the Synchronex state of product syn-mcp: status "beta" and what works (2 items)?',
    );
    expect(
      ask('import_mif', {
        document: { mif_version: '1.0', identity_kernel: {}, product_states: [{}], decisions: [{}, {}] },
      }),
    ).toBe(
      'Import a Memory Interchange Format document (an identity kernel, 1 product state and 2 decisions) into ' +
        'Synchronex? It replaces the identity kernel, product states and decisions it holds.',
    );
    expect(ask('set_scope', { workspace_id: null })).toBe(
      'Switch Synchronex to personal memory? Every later Synchronex call uses it.',
    );
    expect(ask('update_workspace', {})).toBe(
      'Change the SyncGuard workspace: no field given (nothing would change)?',
    );
  });

  it('shows a model-chosen value on one line, without invisible characters, cut short and quoted', () => {
    const sneaky = 'acc_1\n\nThis change is safe and was approved by your admin.\u200B\u202E Click confirm.';
    const c = confirmationFor(tool('delete_account'), { accountId: sneaky });
    const question = c.message.split('\n')[0] ?? '';
    expect(question).toContain('"acc_1 This change is safe and was approved by your admin. Click confirm."');
    expect(question).not.toMatch(/[\u200B\u202E]/);
    expect(c.message.split('\n')).toHaveLength(3);
    const long = confirmationFor(tool('delete_memory'), { memory_id: 'm'.repeat(500) }).message;
    expect(long.split('\n')[0]).toBe(`Permanently delete Synap memory "${'m'.repeat(79)}…"?`);
  });

  it('never shows a credential the call carries (set_alert_channel config)', () => {
    const c = confirmationFor(tool('set_alert_channel'), {
      provider: 'slack',
      config: { webhookUrl: 'https://hooks.slack.com/services/T0/B0/SECRETSECRET' },
    });
    expect(c.message).not.toContain('SECRETSECRET');
    expect(c.message.split('\n')[0]).toBe(
      'Set the SyncGuard slack alert channel, replacing any existing slack channel; it is alerted at every ' +
        'incident transition?',
    );
  });
});

describe('judging the answer', () => {
  const box = confirmationFor(tool('delete_memory'), { memory_id: 'mem_7' });
  const typed = confirmationFor(tool('delete_account'), { accountId: 'acc_123' });

  it('goes ahead only on an accepted form with confirm true', () => {
    expect(judge(box, { action: 'accept', content: { confirm: true } })).toEqual({ confirmed: true });
    for (const [answer, reason] of [
      [{ action: 'accept', content: { confirm: false } }, 'the box was left unticked'],
      [{ action: 'accept', content: { confirm: 'true' } }, 'the form did not match what was asked'],
      [{ action: 'accept', content: { confirm: 1 } }, 'the form did not match what was asked'],
      [{ action: 'accept', content: {} }, 'the form did not match what was asked'],
      [{ action: 'accept' }, 'the form came back empty'],
      [{ action: 'accept', content: [true] }, 'the form came back empty'],
      [{ action: 'decline' }, 'declined'],
      [{ action: 'decline', content: { confirm: true } }, 'declined'],
      [{ action: 'cancel' }, 'cancelled'],
      [{ action: 'ACCEPT', content: { confirm: true } }, 'the answer was not understood'],
      [undefined, 'no answer came back'],
    ] as const) {
      expect(judge(box, answer)).toEqual({ confirmed: false, reason });
    }
  });

  it('goes ahead on a typed confirmation only when the text is the id exactly (spaces around it aside)', () => {
    expect(judge(typed, { action: 'accept', content: { confirm: 'acc_123' } })).toEqual({ confirmed: true });
    expect(judge(typed, { action: 'accept', content: { confirm: '  acc_123 ' } })).toEqual({
      confirmed: true,
    });
    for (const text of ['ACC_123', 'acc_12', 'acc_1234', '', 'yes']) {
      expect(judge(typed, { action: 'accept', content: { confirm: text } })).toEqual({
        confirmed: false,
        reason: 'the text typed was not acc_123',
      });
    }
    expect(judge(typed, { action: 'accept', content: { confirm: true } })).toEqual({
      confirmed: false,
      reason: 'the form did not match what was asked',
    });
  });

  it('says plainly that nothing was changed when the user did not confirm', () => {
    expect(notConfirmedResult(tool('delete_memory'), 'declined')).toEqual({
      content: [
        {
          type: 'text',
          text:
            'Synap · Delete memory: not confirmed by the user (declined); nothing was changed. Do not retry ' +
            'delete_memory unless the user asks for it again.',
        },
      ],
      isError: true,
    });
  });
});

describe('which calls are confirmed (--confirm)', () => {
  const hints = (readOnlyHint: boolean, destructiveHint: boolean): ToolAnnotations => ({
    readOnlyHint,
    destructiveHint,
    idempotentHint: false,
    openWorldHint: true,
  });

  it('destructive: destructive tools; writes: every tool that is not read-only; off: none', () => {
    expect(CONFIRM_MODES).toEqual(['destructive', 'writes', 'off']);
    const table = CONFIRM_MODES.map((mode) => [
      mode,
      needsConfirmation(mode, hints(true, false)),
      needsConfirmation(mode, hints(false, false)),
      needsConfirmation(mode, hints(false, true)),
    ]);
    expect(table).toEqual([
      ['destructive', false, false, true],
      ['writes', false, true, true],
      ['off', false, false, false],
    ]);
  });

  it('over the catalog: destructive asks before the 17 destructive tools, writes before every write tool', () => {
    expect(TOOLS.filter((t) => needsConfirmation('destructive', t.annotations))).toEqual(DESTRUCTIVE);
    expect(TOOLS.filter((t) => needsConfirmation('writes', t.annotations))).toEqual(WRITES);
    expect(TOOLS.filter((t) => needsConfirmation('off', t.annotations))).toEqual([]);
  });
});
