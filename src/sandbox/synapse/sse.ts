/**
 * Synapse's SSE wire format (SYN `_format_sse_event`): `data: <json.dumps(event)>\n\n` per event, no
 * `event:` or `id:` lines, headers `Cache-Control: no-cache` and `X-Accel-Buffering: no`. Events are paced
 * with timers that are cleared as soon as the client goes away, and every stream is recorded so tests can
 * wait for "the upstream connection closed" instead of sleeping.
 */
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { PacedEvent } from './run.js';

/** How a stream ended. */
export type StreamEnd =
  /** Every event was written and the response ended normally. */
  | 'completed'
  /** The client closed the connection first (cancellation). */
  | 'client_closed'
  /** A `cut` fault destroyed the socket mid-stream. */
  | 'cut'
  /** An `end` fault ended the response cleanly before `done`. */
  | 'ended_early';

/** One SSE response as the emulator served it. */
export interface StreamRecord {
  readonly path: string;
  /** `type` of each event written, in order. */
  readonly sent: string[];
  /** `open` until the stream ends. */
  state: 'open' | StreamEnd;
  /** Pacing timers still armed for this stream (0 once it ended: nothing keeps running). */
  pendingTimers: number;
  /** Resolves once the stream ended, whichever way. */
  readonly closed: Promise<StreamRecord>;
}

/**
 * Breaks a stream after `afterEvents` events: `cut` destroys the socket, `end` ends the body without `done`,
 * `stall` sends nothing for `stallMs` and then carries on (a model call the backend waits on in silence).
 */
export interface StreamFault {
  afterEvents: number;
  mode?: 'cut' | 'end' | 'stall';
  /** `stall`: how long the stream stays silent, in ms (not scaled by pacing). */
  stallMs?: number;
  /** Exact path (with or without `/api/v1`) or a RegExp; any stream when absent. */
  path?: string | RegExp;
  /** How many streams it applies to (default 1). */
  times?: number;
}

/** Formats a value the way Python's `json.dumps` does by default (`", "`/`": "` separators, ASCII only). */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return asciiString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NaN';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${asciiString(k)}: ${pythonJson(v)}`).join(', ')}}`;
  }
  return asciiString(String(value));
}

function asciiString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Streams and stream faults of one emulator. */
export class StreamHub {
  readonly records: StreamRecord[] = [];
  readonly events = new EventEmitter();
  readonly #faults: Array<{ fault: StreamFault; remaining: number }> = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #prefix: string;
  /** Multiplies every event's delay (0 sends events back to back). */
  pacing: number;

  constructor(prefix: string, pacing: number) {
    this.#prefix = prefix;
    this.pacing = pacing;
  }

  /** Arms a stream fault. */
  inject(fault: StreamFault): void {
    const times = fault.times ?? 1;
    if (!(times > 0)) throw new RangeError(`StreamFault.times must be positive, got ${times}`);
    if (!(fault.afterEvents >= 0)) throw new RangeError(`afterEvents must be >= 0, got ${fault.afterEvents}`);
    this.#faults.push({ fault, remaining: times });
  }

  /** Disarms stream faults. */
  clearFaults(): void {
    this.#faults.length = 0;
  }

  /** Disarms stream faults and forgets the records (streams still open keep running). */
  reset(): void {
    this.#faults.length = 0;
    this.records.length = 0;
  }

  /** Stops every pacing timer (server shutdown). */
  stopAll(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  /** Resolves with the first stream (existing or future) that ends and matches `filter`. */
  waitForClose(filter: (r: StreamRecord) => boolean = () => true): Promise<StreamRecord> {
    const done = this.records.find((r) => r.state !== 'open' && filter(r));
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => {
      const listener = (r: StreamRecord): void => {
        if (!filter(r)) return;
        this.events.off('stream-closed', listener);
        resolve(r);
      };
      this.events.on('stream-closed', listener);
    });
  }

  #takeFault(path: string): StreamFault | undefined {
    const index = this.#faults.findIndex(({ fault }) => {
      const want = fault.path;
      if (want === undefined) return true;
      if (typeof want === 'string') return path === want || path === this.#prefix + want;
      want.lastIndex = 0;
      return want.test(path);
    });
    const entry = this.#faults[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.#faults.splice(index, 1);
    return entry.fault;
  }

  /** Writes `events` as an SSE response, one timer per event; stops at once when the client goes away. */
  send(res: ServerResponse, path: string, events: readonly PacedEvent[]): StreamRecord {
    let resolveClosed: (r: StreamRecord) => void = () => {};
    const closed = new Promise<StreamRecord>((resolve) => {
      resolveClosed = resolve;
    });
    const record: StreamRecord = { path, sent: [], state: 'open', pendingTimers: 0, closed };
    this.records.push(record);
    this.events.emit('stream-opened', record);
    const fault = this.#takeFault(path);
    let timer: NodeJS.Timeout | undefined;

    const finish = (state: StreamEnd): void => {
      if (record.state !== 'open') return;
      if (timer) {
        clearTimeout(timer);
        this.#timers.delete(timer);
        timer = undefined;
      }
      record.pendingTimers = 0;
      record.state = state;
      resolveClosed(record);
      this.events.emit('stream-closed', record);
    };

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    res.on('close', () => finish('client_closed'));

    let index = 0;
    let stall = fault?.mode === 'stall' ? Math.max(0, fault.stallMs ?? 0) : 0;
    const next = (): void => {
      if (record.state !== 'open') return;
      const item = events[index];
      let extra = 0;
      if (fault?.mode === 'stall') {
        if (record.sent.length >= fault.afterEvents && stall > 0) {
          extra = stall;
          stall = 0;
        }
      } else if (fault && record.sent.length >= fault.afterEvents && item) {
        if ((fault.mode ?? 'cut') === 'cut') {
          finish('cut');
          res.socket?.destroy();
        } else {
          finish('ended_early');
          res.end();
        }
        return;
      }
      if (!item) {
        finish('completed');
        res.end();
        return;
      }
      const fire = (): void => {
        if (timer) this.#timers.delete(timer);
        timer = undefined;
        record.pendingTimers = 0;
        if (record.state !== 'open' || res.destroyed) return;
        res.write(`data: ${pythonJson(item.event)}\n\n`);
        record.sent.push(item.event.type);
        index += 1;
        next();
      };
      timer = setTimeout(fire, Math.max(0, Math.round(item.delayMs * this.pacing)) + extra);
      this.#timers.add(timer);
      record.pendingTimers = 1;
    };
    next();
    return record;
  }
}
