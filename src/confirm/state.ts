/**
 * Sealed request state: what the server hands the client in an `input_required` round (`requestState`) and
 * gets back, byte for byte, on the retry. The client, and the model behind it, can read nothing of it and
 * change nothing in it: it is encrypted and authenticated with AES-256-GCM, bound to one kind of round, one
 * tool, one set of arguments and one caller, valid for a short time, and answers one retry only.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { argsDigest } from './digest.js';
import { STATE_KEY_BYTES } from './key.js';
import { MemoryNonceStore, type NonceStore } from './nonces.js';

/** How long a sealed state stays valid by default: 10 minutes, enough for a person to read and answer. */
export const DEFAULT_STATE_TTL_MS = 10 * 60_000;
/** Longest token `open` reads (a human step's state carries its paused result); longer was not made here. */
export const MAX_STATE_CHARS = 65_536;

const VERSION = 's1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD = Buffer.from('syn-mcp requestState v1');

/** What a state is bound to: the same four values must be presented to open it. */
export interface StateBinding {
  /** The kind of round (e.g. `confirm`, `synapse-human`): a state of one kind never opens as another. */
  kind: string;
  /** The tool called. */
  tool: string;
  /** The call's arguments as validated (bound through their canonical digest). */
  args: unknown;
  /** The caller: an HTTP principal's name, '' on stdio or with one shared token. */
  principal: string;
}

/** Why a state was refused. */
export type StateFault = 'malformed' | 'tampered' | 'mismatch' | 'expired' | 'reused';

const FAULT_TEXT: Readonly<Record<StateFault, string>> = {
  malformed: 'requestState is not one this server issued (malformed).',
  tampered:
    'requestState failed its integrity check: it was altered, or sealed with another key (replicas must ' +
    'share SYN_MCP_STATE_KEY).',
  mismatch: 'requestState was issued for another call (the tool, its arguments or the caller differ).',
  expired: 'requestState has expired.',
  reused: 'requestState was already used: each answer settles one call only.',
};

/** A refused request state; the server answers it with -32602 (invalid params) and does nothing. */
export class StateError extends Error {
  readonly fault: StateFault;
  constructor(fault: StateFault) {
    super(
      `${FAULT_TEXT[fault]} Nothing was done; call the tool again without requestState to be asked afresh.`,
    );
    this.name = 'StateError';
    this.fault = fault;
  }
}

/** Seals and opens request state. */
export interface StateSealer {
  /** How long a state it seals stays valid (ms). */
  readonly ttlMs: number;
  /** Seals `data` (any JSON value) for the call described by `binding`. */
  seal(binding: StateBinding, data?: unknown): string;
  /**
   * Opens a state for the call described by `binding` and spends it: resolves to the sealed data, or
   * rejects with a StateError (malformed, tampered, mismatched, expired or already used).
   */
  open(token: string, binding: StateBinding): Promise<unknown>;
}

/** Options of createStateSealer. */
export interface StateSealerOptions {
  /** The 32-byte key (SYN_MCP_STATE_KEY); a random key of this process when absent. */
  key?: Uint8Array | undefined;
  ttlMs?: number;
  /** Clock (epoch ms), for tests. */
  now?: () => number;
  /** Where spent states are remembered; this process's memory by default. */
  nonces?: NonceStore;
}

/** The sealed payload: short names keep the token small. */
interface Payload {
  k: string;
  t: string;
  a: string;
  p: string;
  e: number;
  n: string;
  d?: unknown;
}

function isPayload(value: unknown): value is Payload {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.k === 'string' &&
    typeof v.t === 'string' &&
    typeof v.a === 'string' &&
    typeof v.p === 'string' &&
    typeof v.n === 'string' &&
    typeof v.e === 'number' &&
    Number.isFinite(v.e)
  );
}

const TOKEN = /^s1\.[A-Za-z0-9_-]+$/;

/** A sealer whose states open only under the same key (a random per-process key unless one is given). */
export function createStateSealer(opts: StateSealerOptions = {}): StateSealer {
  const master = opts.key ?? randomBytes(STATE_KEY_BYTES);
  if (master.length !== STATE_KEY_BYTES) {
    throw new Error(`state key: ${STATE_KEY_BYTES} bytes needed, ${master.length} given.`);
  }
  // The configured key is used for this purpose only: the cipher key is derived from it.
  const key = Buffer.from(
    hkdfSync('sha256', master, Buffer.alloc(0), 'syn-mcp requestState aes-256-gcm', 32),
  );
  const ttlMs = opts.ttlMs ?? DEFAULT_STATE_TTL_MS;
  const now = opts.now ?? Date.now;
  const nonces = opts.nonces ?? new MemoryNonceStore(now);

  function decrypt(token: string): Payload {
    if (token.length > MAX_STATE_CHARS || !TOKEN.test(token)) throw new StateError('malformed');
    const raw = Buffer.from(token.slice(VERSION.length + 1), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES + 2) throw new StateError('malformed');
    const iv = raw.subarray(0, IV_BYTES);
    const tag = raw.subarray(raw.length - TAG_BYTES);
    const body = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
    let text: string;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(AAD);
      decipher.setAuthTag(tag);
      text = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new StateError('tampered');
    }
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      throw new StateError('malformed');
    }
    if (!isPayload(payload)) throw new StateError('malformed');
    return payload;
  }

  return {
    ttlMs,
    seal(binding, data) {
      const payload: Payload = {
        k: binding.kind,
        t: binding.tool,
        a: argsDigest(binding.args),
        p: binding.principal,
        e: now() + ttlMs,
        n: randomBytes(16).toString('base64url'),
        ...(data === undefined ? {} : { d: data }),
      };
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(AAD);
      const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
    },
    async open(token, binding) {
      const payload = decrypt(token);
      if (
        payload.k !== binding.kind ||
        payload.t !== binding.tool ||
        payload.p !== binding.principal ||
        payload.a !== argsDigest(binding.args)
      ) {
        throw new StateError('mismatch');
      }
      if (now() >= payload.e) throw new StateError('expired');
      if (!(await nonces.claim(payload.n, payload.e))) throw new StateError('reused');
      return payload.d;
    },
  };
}
