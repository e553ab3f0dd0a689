/**
 * Reading Synapse's SSE endpoints event by event (the shared reader, used by `/chat/stream` here and by the
 * run streams in run-stream.ts): each event but `done` becomes one MCP progress notification with a short
 * message (syn-mcp's words, Synapse's text in it fenced: src/progress-text.ts), a silent upstream gets "still
 * waiting" notifications, error events end the call as an error, and a stream that stops before `done` is an
 * error (its outcome is unknown), never a success.
 */
import { CancelledError } from '../../src/errors.js';
import { type ProgressText, progressOf } from '../../src/progress-text.js';
import type { ToolContext } from '../../src/tool.js';
import { chatAnswer, chatStreamError, noChatResponse, SynapseStreamEndedError } from './failures.js';
import { type ChatOutput, isRecord } from './schemas.js';
import { cutText, quotable, str } from './text.js';

/** One parsed stream event: its JSON, with `type` naming it. */
export type SynapseEvent = Record<string, unknown> & { type: string };

/** A progress message naming Synapse's values (src/progress-text.ts): they are quoted or fenced when sent. */
export const said = progressOf('synapse');

/**
 * What a progress message calls a step, agent or orchestration: its name when identifier-shaped, else its id
 * when that is (a human still knows which), else its name, which the message fences.
 */
export function nameOrId(name: unknown, id: unknown): unknown {
  return quotable(str(name)) ?? quotable(str(id)) ?? name ?? id;
}

/** Stream read timing; tests shorten it instead of waiting. */
export const streamTiming = {
  /**
   * Longest silence before a "still waiting" progress notification (when the client asked for progress):
   * Synapse sends nothing while a model call runs (up to 180 s) and clients give up after 60 s without news.
   */
  keepAliveMs: 15_000,
};

/**
 * When a call without progress stops waiting and answers that the work may go on upstream (a run still
 * running, a chat answer not yet given): shortly before the call's deadline, while the client still listens.
 */
export function answerBy(deadline: number): number {
  const left = deadline - Date.now();
  return deadline - Math.min(2_000, Math.max(0, left) / 10);
}

/** How a read that has a time limit ends when the limit passes. */
export interface ReadLimit {
  /** Epoch ms after which the read stops and the connection is closed. */
  until: number;
  /** The error the call ends with. */
  expired(): Error;
}

const TIMER = Symbol('timer');

async function within<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMER> {
  if (!Number.isFinite(ms)) return p;
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<typeof TIMER>((resolve) => {
    timer = setTimeout(() => resolve(TIMER), Math.max(0, ms));
  });
  try {
    return await Promise.race([p, elapsed]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads a stream's events until `done`; the connection is closed on any early exit. While the upstream is
 * silent, a client that asked for progress hears "still waiting" every `streamTiming.keepAliveMs`; with a
 * `limit`, the read stops at its time and the call ends with the limit's error.
 */
export async function readUntilDone(
  ctx: ToolContext,
  path: string,
  body: unknown,
  onEvent: (ev: SynapseEvent) => Promise<void>,
  what: string,
  limit?: ReadLimit,
): Promise<void> {
  const local = new AbortController();
  const signal = AbortSignal.any([ctx.signal, local.signal]);
  const stream = await ctx.api.synapse.stream({ method: 'POST', path, body, signal });
  const iterator = stream.events[Symbol.asyncIterator]();
  let count = 0;
  let lastEventAt = Date.now();
  try {
    while (true) {
      const pending = iterator.next();
      let next: IteratorResult<{ data: string }> | typeof TIMER;
      while (true) {
        const keepAlive = ctx.wantsProgress ? streamTiming.keepAliveMs : Number.POSITIVE_INFINITY;
        const untilLimit = limit ? limit.until - Date.now() : Number.POSITIVE_INFINITY;
        try {
          next = await within(pending, Math.min(keepAlive, untilLimit));
        } catch (err) {
          if (ctx.signal.aborted) throw new CancelledError();
          const reason = err instanceof Error && err.message ? err.message : 'connection lost';
          throw endedEarly(what, `interrupted after ${count} events (${cutText(reason, 120)})`);
        }
        if (next !== TIMER) break;
        if (limit && Date.now() >= limit.until) {
          pending.catch(() => undefined);
          local.abort();
          throw limit.expired();
        }
        const silent = Math.round((Date.now() - lastEventAt) / 1000);
        await ctx.progress({
          message: `still waiting for Synapse: no news for ${silent} s (a model call can take minutes)`,
        });
      }
      if (next.done) break;
      lastEventAt = Date.now();
      let parsed: unknown;
      try {
        parsed = JSON.parse(next.value.data);
      } catch {
        ctx.log.debug(`synapse stream ${path}: skipped a data line that is not JSON`);
        continue;
      }
      if (!isRecord(parsed) || typeof parsed.type !== 'string') continue;
      count += 1;
      if (parsed.type === 'done') return;
      await onEvent(parsed as SynapseEvent);
    }
  } finally {
    // Leaving early (error event, result read, time limit, failure) closes the body and the connection.
    local.abort();
    await iterator.return?.()?.catch(() => undefined);
  }
  throw endedEarly(what, `the stream closed after ${count} events without its done event`);
}

function endedEarly(what: string, detail: string): SynapseStreamEndedError {
  const next =
    what === 'chat'
      ? "The agent's answer is not known. The message was sent and may be processed anyway: sending it again " +
        'is processed again. Tell the user, and ask before re-sending.'
      : 'The run may still be going on upstream or may have stopped; its outcome is unknown. Do not start ' +
        'it again blindly: tell the user, or check the effects first.';
  return new SynapseStreamEndedError(`Synapse ${what} stream ended early: ${detail}. ${next}`);
}

// ── Chat ─────────────────────────────────────────────────────────────────────

function chatMessage(ev: SynapseEvent): string | ProgressText {
  switch (ev.type) {
    case 'session':
      return said`chatting with ${nameOrId(ev.agent_name, ev.agent_id) || 'agent'} (session ${ev.session_id})`;
    case 'status':
      return said`status: ${ev.message}`;
    case 'thinking':
      return ev.message ? said`thinking: ${ev.message}` : 'thinking';
    case 'tool_execution':
      return said`tool used: ${ev.tool_name}`;
    case 'tool_result':
      return said`tool result: ${ev.tool_name}${ev.preview ? said` \u2014 ${ev.preview}` : ''}`;
    case 'llm_thought':
      return said`thought${typeof ev.turn === 'number' ? said` (turn ${ev.turn})` : ''}: ${ev.thought}`;
    case 'response':
      return 'answer received';
    default:
      return eventMessage(ev);
  }
}

/** An event this reader has no words for: its type, and its message if it has one. */
export function eventMessage(ev: SynapseEvent): ProgressText {
  return ev.message ? said`${ev.type}: ${ev.message}` : said`${ev.type}`;
}

/** `/chat/stream`: progress per event, then the answer; an `error` event decides even if a `response` follows. */
export async function streamChat(ctx: ToolContext, body: Record<string, unknown>): Promise<ChatOutput> {
  const session: { id?: string; agentId?: string; agentName?: string } = {};
  let answer: { content: string; sessionId?: string } | undefined;
  await readUntilDone(
    ctx,
    '/chat/stream',
    body,
    async (ev) => {
      if (ev.type === 'error') {
        throw chatStreamError(str(ev.message));
      }
      if (ev.type === 'session') {
        const id = str(ev.session_id);
        const agentId = str(ev.agent_id);
        const agentName = str(ev.agent_name);
        if (id !== undefined) session.id = id;
        if (agentId !== undefined) session.agentId = agentId;
        if (agentName !== undefined) session.agentName = agentName;
      }
      if (ev.type === 'response') {
        // Synapse sends content "" for a turn without an answer: that is no answer, not an empty one.
        const content = chatAnswer(ev.content);
        const sessionId = str(ev.session_id);
        answer = sessionId !== undefined ? { content, sessionId } : { content };
      }
      await ctx.progress({ message: chatMessage(ev) });
    },
    'chat',
  );
  if (!answer) {
    throw noChatResponse('without a response event');
  }
  const out: ChatOutput = { response: answer.content };
  if (session.agentId !== undefined) out.agent_id = session.agentId;
  if (session.agentName !== undefined) out.agent_name = session.agentName;
  const sessionId = answer.sessionId ?? session.id;
  if (sessionId !== undefined) out.session_id = sessionId;
  return out;
}
