/** Offline checks of credential values: placeholder, quotes, whitespace, and the documented kind per API. */
import { API, type ApiRecord, type CredentialSpec, type KeyShape } from '../../apis.js';
import { type Check, fail, ok, warn } from './report.js';

/** Credential kinds recognisable by their prefix (documented in api-notes). */
const KINDS: ReadonlyArray<{ kind: string; test: RegExp; shape: string }> = [
  // The prefixes every API documents (a Synap key's alone is unsure), then a JWT.
  { kind: 'a SyncGuard key', test: /^sg_/, shape: 'sg_…' },
  { kind: 'a Synapse key', test: /^sk-syn-/, shape: 'sk-syn-…' },
  { kind: 'a Synchronex key', test: /^(sx_live_|sxo_)/, shape: 'sx_live_…/sxo_…' },
  { kind: 'a Synap key', test: /^synap_/, shape: 'synap_…' },
  { kind: 'a JWT', test: /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/, shape: 'eyJ….….…' },
];

/** Which known kind a value looks like (never the value itself). */
export function kindOf(value: string): { kind: string; shape: string } | undefined {
  return KINDS.find((k) => k.test.test(value));
}

/** A placeholder left from a template (`<your key>`, `sg_replace_with_your_key`, `${input:…}`…). */
export function placeholderOf(value: string): boolean {
  return /[<>\u2026]|\$\{|replace[_-]?with|your[_-]?(api[_-]?)?(key|token)|changeme|^x{4,}$/i.test(value);
}

/** Problems any credential can have, whatever its service: placeholder, quotes, whitespace. */
export function hygiene(env: string, value: string): Check | undefined {
  if (placeholderOf(value)) {
    return fail(env, 'still holds a placeholder, not a credential', `put the real value in ${env}`);
  }
  if (/^["']|["']$/.test(value)) {
    return fail(env, 'is wrapped in quotes', `remove the quotes around the value of ${env}`);
  }
  if (/\s/.test(value)) {
    return fail(
      env,
      'contains whitespace (a line break or space pasted in?)',
      `paste ${env} again on one line`,
    );
  }
  return undefined;
}

export function describe(value: string): string {
  return `${value.length} characters`;
}

/** The credential checks of a key of documented shape; `sendable` is false when the key must not be sent. */
export function keyChecks(
  api: ApiRecord,
  spec: CredentialSpec & { shape: KeyShape },
  value: string,
): { checks: Check[]; sendable: boolean } {
  const want = spec.shape;
  const env = spec.env;
  const bad = hygiene(env, value);
  if (bad) return { checks: [bad], sendable: false };
  if (want.test.test(value)) {
    return {
      checks: [
        ok(env, `${api.label} key of the documented kind (${want.text.split(' ')[0]}, ${describe(value)})`),
      ],
      sendable: true,
    };
  }
  const looks = kindOf(value);
  if (looks) {
    const jwt = api.credentials.find((c) => c.field === 'jwt');
    const jwtHint =
      jwt?.usedBy && looks.kind === 'a JWT' ? `; a JWT belongs in ${jwt.env} (${jwt.usedBy} only).` : '';
    return {
      checks: [
        fail(
          env,
          `looks like ${looks.kind} (${looks.shape}), not a ${api.label} key (${want.text}); not sent, so it does not leak to another vendor`,
          `set ${env} to ${want.get}; it starts with ${want.text}${jwtHint}`,
        ),
      ],
      sendable: false,
    };
  }
  if (!want.strict) {
    return {
      checks: [
        warn(
          env,
          `unrecognised prefix (${describe(value)}); the documents show ${want.text}`,
          `if the read below fails, check that ${env} is ${want.get}`,
        ),
      ],
      sendable: true,
    };
  }
  return {
    checks: [
      fail(
        env,
        `does not start with ${want.text} (${describe(value)}), so it is not a ${api.label} key`,
        `set ${env} to ${want.get}; it starts with ${want.text}`,
      ),
    ],
    sendable: false,
  };
}

/** The check of a JWT credential (SyncGuard's, for the one tool that needs it). */
export function jwtCheck(spec: CredentialSpec, value: string, now: number): Check {
  const env = spec.env;
  const only = spec.usedBy ?? 'the tools that need it';
  const bad = hygiene(env, value);
  if (bad) return bad;
  const parts = value.split('.');
  if (parts.length !== 3 || !value.startsWith('eyJ')) {
    return fail(
      env,
      `is not a JWT (three base64url parts starting eyJ; ${describe(value)})`,
      `set ${env} to the token /auth/login returns, or unset it (only ${only} needs it)`,
    );
  }
  try {
    const payload = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    if (typeof payload.exp === 'number' && payload.exp * 1000 < now) {
      return warn(
        env,
        `expired at ${new Date(payload.exp * 1000).toISOString()}`,
        `log in again for a fresh token, or unset ${env} (only ${only} needs it)`,
      );
    }
  } catch {
    // an unreadable payload is the API's business; the shape is right
  }
  return ok(env, `a JWT (${describe(value)}); offers ${only}`);
}

/**
 * The checks of Synqly's two tokens, whose kinds only its API can tell apart: each may be present, they must
 * differ, and without the organization token the Management tools are not offered.
 */
export function synqlyChecks(
  org: string | undefined,
  integration: string | undefined,
): { checks: Check[]; org: boolean; integration: boolean } {
  const checks: Check[] = [];
  let orgOk = org !== undefined;
  let intOk = integration !== undefined;
  const envOf = (field: string) => API.synqly.credentials.find((c) => c.field === field)?.env ?? field;
  const orgEnv = envOf('orgToken');
  const intEnv = envOf('integrationToken');
  for (const [env, value] of [
    [orgEnv, org],
    [intEnv, integration],
  ] as const) {
    if (value === undefined) continue;
    const bad = hygiene(env, value);
    const looks = kindOf(value);
    if (bad) checks.push(bad);
    else if (looks && looks.kind !== 'a JWT') {
      checks.push(
        fail(
          env,
          `looks like ${looks.kind} (${looks.shape}), not a Synqly token; not sent`,
          `set ${env} to a Synqly ${env === orgEnv ? 'organization' : 'integration'} token`,
        ),
      );
    } else {
      checks.push(ok(env, `set (${describe(value)}); its kind is checked against the API below`));
      continue;
    }
    if (env === orgEnv) orgOk = false;
    else intOk = false;
  }
  if (org !== undefined && org === integration) {
    checks.push(
      fail(
        `${orgEnv} / ${intEnv}`,
        'both hold the same token, but the two kinds are never interchangeable',
        `keep the organization token in ${orgEnv}; unset ${intEnv} (connector tools mint their own) or set it to an integration token`,
      ),
    );
    intOk = false;
  }
  if (org === undefined) {
    checks.push(
      warn(
        orgEnv,
        'not set: the Management tools (accounts, integrations, tokens) are not offered',
        `set ${orgEnv} to an organization token to manage accounts and mint integration tokens`,
      ),
    );
  }
  return { checks, org: orgOk, integration: intOk };
}
