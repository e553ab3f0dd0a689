import type { ToolsetDef } from '../../src/tool.js';
import searchMemory from '../memory/search-memory.js';
import consolidateMemory from './consolidate-memory.js';
import createByokCredential from './create-byok-credential.js';
import createDecision from './create-decision.js';
import deleteByokCredential from './delete-byok-credential.js';
import deleteDecision from './delete-decision.js';
import exportKernel from './export-kernel.js';
import exportMif from './export-mif.js';
import getAiCosts from './get-ai-costs.js';
import getIdentityKernel from './get-identity-kernel.js';
import getProductState from './get-product-state.js';
import getScope from './get-scope.js';
import importMif from './import-mif.js';
import ingestProjectSignal from './ingest-project-signal.js';
import listByokCredentials from './list-byok-credentials.js';
import searchDecisions from './search-decisions.js';
import setScope from './set-scope.js';
import updateIdentityKernel from './update-identity-kernel.js';
import updateProductState from './update-product-state.js';

/** Synchronex toolsets: reads by default; writes, then deletion, MIF import and BYOK opt-in. */
export const synchronexToolsets: ToolsetDef[] = [
  {
    name: 'synchronex',
    service: 'synchronex',
    description:
      'Identity kernel, product state, decisions and memory (Synchronex): read, search, export, AI costs.',
    default: true,
    tools: [
      searchMemory,
      getIdentityKernel,
      getProductState,
      searchDecisions,
      exportMif,
      exportKernel,
      getAiCosts,
      getScope,
    ],
  },
  {
    name: 'synchronex_write',
    service: 'synchronex',
    description:
      'Synchronex writes: identity kernel, product state, decisions, consolidation, project signals, scope.',
    default: false,
    tools: [
      updateIdentityKernel,
      updateProductState,
      createDecision,
      consolidateMemory,
      ingestProjectSignal,
      setScope,
    ],
  },
  {
    name: 'synchronex_admin',
    service: 'synchronex',
    description: 'Synchronex admin: delete decisions, import MIF documents, manage BYOK provider keys.',
    default: false,
    tools: [deleteDecision, importMif, listByokCredentials, createByokCredential, deleteByokCredential],
  },
];
