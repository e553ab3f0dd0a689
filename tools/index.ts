import type { ToolsetDef } from '../src/tool.js';
import { synapToolsets } from './synap/index.js';
import { synapseToolsets } from './synapse/index.js';
import { syncguardToolsets } from './syncguard/index.js';
import { synchronexToolsets } from './synchronex/index.js';
import { synqlyToolsets } from './synqly/index.js';

/** Every toolset of every API, in catalog order. */
export const TOOLSETS: readonly ToolsetDef[] = [
  ...syncguardToolsets,
  ...synapseToolsets,
  ...synqlyToolsets,
  ...synapToolsets,
  ...synchronexToolsets,
];
