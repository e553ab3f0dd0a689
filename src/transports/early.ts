import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';

/** A frame already answered on stdout before the server was loaded (src/fast-start.ts). */
export interface EarlyAnswer {
  /** The id of the request answered. */
  id: string | number;
  /** The exact line written (without its newline). */
  frame: string;
}

const NEWLINE = 0x0a;

/**
 * stdin, read from the first instant of the process and held until the server is ready. The server's
 * transport reads this object instead of stdin: `release()` hands it every byte held, in order, then passes
 * later data through as it comes, and repeats an 'end', 'close' or 'error' that happened while holding.
 * Reports the lines held one by one (each non-blank one, at most `maxLine` bytes), so that the first ones
 * can be answered early.
 */
export class EarlyInput extends EventEmitter {
  /** The frames answered early, in order; the server's own answers to them are then dropped. */
  readonly answers: EarlyAnswer[] = [];

  readonly #source: Readable;
  readonly #maxLine: number;
  #held: Buffer[] = [];
  #pending: Array<['end' | 'close'] | ['error', Error]> = [];
  #released = false;
  #ended = false;
  /** Bytes of what is held that the lines reported so far take up. */
  #reported = 0;
  #nextLine: ((line: Buffer | undefined) => void) | undefined;

  constructor(source: Readable, maxLine: number) {
    super();
    this.#source = source;
    this.#maxLine = maxLine;
    source.on('data', this.#onData);
    source.once('end', () => this.#pass(['end']));
    source.once('close', () => this.#pass(['close']));
    source.on('error', (err: Error) => this.#pass(['error', err]));
  }

  /**
   * Calls `found` once with the next non-blank line held (the first one, on the first call), or with
   * undefined when there will be none to answer early: stdin ended or failed first, the line is longer than
   * allowed, or the input was released. One call at a time.
   */
  onNextLine(found: (line: Buffer | undefined) => void): void {
    if (this.#released) {
      found(undefined);
      return;
    }
    this.#nextLine = found;
    this.#scan();
  }

  /** Hands everything held to the listeners now attached, then passes data through. Call once. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#report(undefined);
    const held = this.#held;
    this.#held = [];
    for (const chunk of held) this.emit('data', chunk);
    const pending = this.#pending;
    this.#pending = [];
    for (const [event, err] of pending) this.emit(event, err);
  }

  /** Stops reading stdin (what a transport does on close). */
  pause(): this {
    this.#source.pause();
    return this;
  }

  readonly #onData = (chunk: Buffer | string): void => {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (this.#released) {
      this.emit('data', data);
      return;
    }
    this.#held.push(data);
    this.#scan();
  };

  #pass(event: ['end' | 'close'] | ['error', Error]): void {
    if (this.#released) {
      this.emit(event[0], event[1]);
      return;
    }
    this.#pending.push(event);
    this.#ended = true;
    this.#scan();
  }

  /** Looks for the next non-blank line in what is held, once someone asked for it. */
  #scan(): void {
    if (!this.#nextLine) return;
    if (this.#held.length > 1) this.#held = [Buffer.concat(this.#held)];
    const all = this.#held[0] ?? Buffer.alloc(0);
    let start = this.#reported;
    for (let nl = all.indexOf(NEWLINE, start); nl !== -1; nl = all.indexOf(NEWLINE, start)) {
      const line = all.subarray(start, nl);
      start = nl + 1;
      if (!isBlank(line)) {
        this.#reported = start;
        this.#report(line.length <= this.#maxLine ? line : undefined);
        return;
      }
    }
    if (this.#ended || all.length - start > this.#maxLine) this.#report(undefined);
  }

  #report(line: Buffer | undefined): void {
    const found = this.#nextLine;
    this.#nextLine = undefined;
    found?.(line);
  }
}

/**
 * A line of ASCII white space only, which the transport skips. (Any other byte makes the line count: at
 * worst a line the transport would also skip is not answered early.)
 */
function isBlank(line: Buffer): boolean {
  for (const byte of line) if (byte !== 0x20 && (byte < 0x09 || byte > 0x0d)) return false;
  return true;
}

/**
 * Where the bin's entry leaves stdin for the server. A global, not a module variable: the entry and the CLI
 * are separate bundles (scripts/bundle.mjs), each with its own copy of this module.
 */
const SLOT = Symbol.for('syn-mcp.early-input');
const slots = globalThis as unknown as Record<symbol, EarlyInput | undefined>;

/** Leaves stdin, already being read, for serveStdio to take over (the bin's fast start does this). */
export function holdEarlyInput(input: EarlyInput): void {
  slots[SLOT] = input;
}

/** stdin as read since the process started, when the fast start did so; undefined otherwise. Once only. */
export function takeEarlyInput(): EarlyInput | undefined {
  const taken = slots[SLOT];
  delete slots[SLOT];
  return taken;
}
