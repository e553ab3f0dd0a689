/**
 * Which Synapse agent a chat goes to, decided before anything is sent. Synapse's own lookup is loose (exact
 * id → case-insensitive name → substring → the first agent, api-notes §2c), so an unknown or misspelt name
 * would be answered by some other agent; here only an exact id or a case-insensitive name is taken, and an
 * orchestrator agent is pointed to run_orchestration (chat shows only one step's output of its run).
 */
import { InputError, MAX_UPSTREAM_TEXT } from '../../src/errors.js';
import type { ToolContext } from '../../src/tool.js';
import { noAgentsError, SynapseReportedError } from './failures.js';
import { type ChatOutput, isRecord, synapseList } from './schemas.js';
import { cutText, quotable, str } from './text.js';

/** An agent as listed, reduced to what the choice needs. */
export interface ListedAgent {
  id: string;
  name: string;
  type: string | undefined;
}

/**
 * Room for the agents' names and ids in a refusal: the fenced part of an error is cut at MAX_UPSTREAM_TEXT
 * (src/errors.ts), so the list stops at a whole agent before that, and syn-mcp's words say how many it shows.
 */
const LIST_ROOM = MAX_UPSTREAM_TEXT - 50;

/** The agents' names and ids as upstream text (fenced in the error), and how many of them it holds. */
function available(agents: readonly ListedAgent[]): { text: string; shown: number } {
  const shown: string[] = [];
  let used = 0;
  for (const a of agents) {
    const one = `"${cutText(a.name, 60)}" (${cutText(a.id, 60)})`;
    if (used + one.length + 2 > LIST_ROOM) break;
    shown.push(one);
    used += one.length + 2;
  }
  return { text: `available agents: ${shown.join(', ')}`, shown: shown.length };
}

/** The agent named in syn-mcp's words: the caller's own argument, or "the first agent" (its name is upstream). */
function named(wanted: string | undefined): string {
  return wanted === undefined ? 'the first agent' : `agent "${cutText(wanted, 60)}"`;
}

/**
 * Picks the agent `wanted` names (exact id, else case-insensitive name), or the first agent when absent.
 * Agents' names and ids came from Synapse: a refusal shows them fenced as data (InputError's `upstream`),
 * never in its own sentences.
 */
export function chooseAgent(agents: readonly ListedAgent[], wanted: string | undefined): ListedAgent {
  const first = agents[0];
  if (!first) throw noAgentsError();
  let agent = first;
  if (wanted !== undefined) {
    const byId = agents.find((a) => a.id === wanted);
    const lower = wanted.toLowerCase();
    const byName = agents.filter((a) => a.name.toLowerCase() === lower);
    const exactCase = byName.filter((a) => a.name === wanted);
    const picked =
      byId ?? (byName.length === 1 ? byName[0] : exactCase.length === 1 ? exactCase[0] : undefined);
    if (!picked) {
      const why =
        byName.length > 1
          ? `several Synapse agents are named "${cutText(wanted, 60)}": give the id of one`
          : `Synapse has no agent with the id or name "${cutText(wanted, 60)}"`;
      const list = available(agents);
      const which =
        list.shown < agents.length
          ? ` (the first ${list.shown} of ${agents.length}; list_agents lists them all)`
          : '';
      throw new InputError(
        `${why}. Nothing was sent. The available agents are below${which}: pass one of their ids or names ` +
          '(or omit agent to use the first).',
        [],
        { text: list.text, source: 'synapse' },
      );
    }
    agent = picked;
  }
  if (agent.type === 'orchestrator') {
    throw new InputError(
      `${named(wanted)} is an orchestrator (below): chatting with it runs an orchestration, and chat shows ` +
        "only one step's output (a pause for human input is invisible). Nothing was sent. Use " +
        'run_orchestration for that orchestration instead (find it with list_orchestrations), or chat with ' +
        'another agent.',
      [],
      {
        text: `orchestrator agent: "${cutText(agent.name, 60)}" (${cutText(agent.id, 60)})`,
        source: 'synapse',
      },
    );
  }
  return agent;
}

/** An agent as an error's fenced data names it. */
function shown(name: string | undefined, id: string): string {
  return name === undefined ? `(${cutText(id, 60)})` : `"${cutText(name, 60)}" (${cutText(id, 60)})`;
}

/** An answer without `agent_id`: who gave it cannot be checked, so the result says so, naming the agent asked. */
function unconfirmed(agent: ListedAgent): string {
  const id = quotable(agent.id);
  const asked = id ? `the agent asked for (id "${id}")` : 'the agent asked for';
  return (
    `Synapse did not say which agent answered, so that ${asked} gave this answer is not confirmed (Synapse ` +
    'answers from another agent when the one sent no longer exists). Say so if it matters to the user.'
  );
}

/**
 * The answer, when the agent that gave it is the one chosen. Synapse re-reads its agents on every chat and
 * falls back (partial name, then the first agent) when the id sent no longer matches one, e.g. an agent
 * removed or renamed since it was listed: that answer came from an agent nobody named, so it is an error.
 */
export function answeredBy(agent: ListedAgent, wanted: string | undefined, out: ChatOutput): ChatOutput {
  if (out.agent_id === undefined) return { ...out, note: unconfirmed(agent) };
  if (out.agent_id === agent.id) return out;
  throw new SynapseReportedError(
    `Synapse did not answer from ${named(wanted)}: another agent answered (both below), as Synapse does when ` +
      'the agent sent no longer exists (removed or renamed since it was listed). The message was processed by ' +
      "that other agent; its answer is not shown as this agent's. Tell the user, and check list_agents before " +
      're-sending.',
    {
      text: `asked: ${shown(agent.name, agent.id)}; answered: ${shown(out.agent_name, out.agent_id)}`,
      source: 'synapse',
    },
  );
}

/** Lists the agents (GET /agents) as the choice needs them. */
export async function listedAgents(ctx: ToolContext): Promise<ListedAgent[]> {
  const data = await synapseList(ctx, '/agents', 'agents');
  return data.filter(isRecord).flatMap((a) => {
    const id = str(a.id);
    if (id === undefined) return [];
    return [{ id, name: str(a.name) ?? id, type: str(a.type) }];
  });
}
