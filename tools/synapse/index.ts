import type { ToolsetDef } from '../../src/tool.js';
import chat from './chat.js';
import getAgent from './get-agent.js';
import getOrchestration from './get-orchestration.js';
import listAgents from './list-agents.js';
import listOrchestrations from './list-orchestrations.js';
import resumeOrchestrationRun from './resume-orchestration-run.js';
import runOrchestration from './run-orchestration.js';

/**
 * Synapse toolsets. `synapse` holds the read-only discovery tools; `synapse_write` the tools that execute
 * agents (chat, runs, resume: an agent may act through its own tools). Both are on by default — running
 * agents is what Synapse is for — and `--toolsets synapse` or `--read-only` leaves only discovery.
 */
export const synapseToolsets: ToolsetDef[] = [
  {
    name: 'synapse',
    service: 'synapse',
    description: 'Synapse agents and orchestrations: list and inspect them.',
    default: true,
    tools: [listAgents, getAgent, listOrchestrations, getOrchestration],
  },
  {
    name: 'synapse_write',
    service: 'synapse',
    description: 'Synapse execution: chat with agents, run orchestrations, resume paused runs.',
    default: true,
    tools: [chat, runOrchestration, resumeOrchestrationRun],
  },
];
