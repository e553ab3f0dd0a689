/** The agents a fresh Synapse sandbox has (seed data). */
import type { AgentDef } from './definitions.js';

/** The agents a fresh sandbox has, in configuration order (the first is the `/chat` default). */
export function defaultAgents(): AgentDef[] {
  return [
    {
      id: 'agent_research',
      name: 'Research Assistant',
      type: 'conversational',
      model: 'gpt-4o-mini',
      capabilities: ['web_search', 'summarize'],
      description: 'Searches the web and summarises what it finds, with sources.',
    },
    {
      id: 'agent_writer',
      name: 'Report Writer',
      type: 'conversational',
      model: '',
      capabilities: [],
      description: 'Turns notes into a short, well-structured report.',
    },
    {
      id: 'agent_code',
      name: 'Code Reviewer',
      type: 'code',
      model: null,
      capabilities: ['read_file'],
      description: 'Reviews code changes and points out risks.',
    },
    {
      id: 'agent_publisher',
      name: 'Publishing Orchestrator',
      type: 'orchestrator',
      model: '',
      capabilities: [],
      description: 'Runs the "Publish with approval" orchestration (it pauses for a human approval).',
      orchestration_id: 'orch_publish_approval',
    },
  ];
}
