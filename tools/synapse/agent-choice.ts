/**
 * Which Synapse agent a chat goes to, decided before anything is sent. Synapse's own lookup is loose (exact
 * id → case-insensitive name → substring → the first agent, api-notes §2c), so an unknown or misspelt name
 * would be answered by some other agent; here only an exact id or a case-insensitive name is taken, and an
 * orchestrator agent is pointed to run_orchestration (chat shows only one step's output of its run).
 */
import { InputError } from '../../src/errors.js';
import type { ToolContext } from '../../src/tool.js';
import { noAgentsError } from './failures.js';
import { isRecord, synapseList } from './schemas.js';
import { cutText, str } from './text.js';

/** An agent as listed, reduced to what the choice needs. */
export interface ListedAgent {
  id: string;
  name: string;
  type: string | undefined;
}

const MAX_NAMED = 25;

function available(agents: readonly ListedAgent[]): string {
  const shown = agents.slice(0, MAX_NAMED).map((a) => `"${cutText(a.name, 60)}" (${cutText(a.id, 60)})`);
  const more = agents.length > MAX_NAMED ? `, and ${agents.length - MAX_NAMED} more (list_agents)` : '';
  return `${shown.join(', ')}${more}`;
}

/** Picks the agent `wanted` names (exact id, else case-insensitive name), or the first agent when absent. */
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
      throw new InputError(
        `${why}. Nothing was sent. Available agents: ${available(agents)}. Pass one of these ids or names ` +
          '(or omit agent to use the first).',
      );
    }
    agent = picked;
  }
  if (agent.type === 'orchestrator') {
    throw new InputError(
      `agent "${cutText(agent.name, 60)}" (${cutText(agent.id, 60)}) is an orchestrator: chatting with it runs ` +
        "an orchestration, and chat shows only one step's output (a pause for human input is invisible). " +
        'Nothing was sent. Use run_orchestration for that orchestration instead (find it with ' +
        'list_orchestrations), or chat with another agent.',
    );
  }
  return agent;
}

/** Lists the agents (GET /agents) as the choice needs them. */
export async function listedAgents(ctx: ToolContext): Promise<ListedAgent[]> {
  const data = await synapseList(ctx, '/agents', 'agents');
  return (Array.isArray(data) ? data : []).filter(isRecord).flatMap((a) => {
    const id = str(a.id);
    if (id === undefined) return [];
    return [{ id, name: str(a.name) ?? id, type: str(a.type) }];
  });
}
