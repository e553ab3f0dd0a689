/** Synapse's agent routes: the configured agents, listed and one by id. */
import { sendJson } from '../common/json-body.js';
import { HttpError } from './bodies.js';
import type { AgentDef } from './definitions.js';
import type { Route } from './state.js';

function agentJson(a: AgentDef): Record<string, unknown> {
  return {
    id: a.id,
    name: a.name,
    type: a.type ?? 'conversational',
    model: a.model === undefined ? '' : a.model,
    capabilities: a.capabilities ?? [],
  };
}

/** `GET /agents` and `GET /agents/{id}`. */
export const AGENT_ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/agents$/,
    run(state, _hub, _req, res) {
      sendJson(res, 200, state.agents.map(agentJson));
    },
  },
  {
    method: 'GET',
    pattern: /^\/agents\/([^/]+)$/,
    run(state, _hub, _req, res, [id = '']) {
      const agent = state.agents.find((a) => a.id === id);
      if (!agent) throw new HttpError(404, `Agent '${id}' not found`);
      sendJson(res, 200, { ...agentJson(agent), description: agent.description ?? '' });
    },
  },
];
