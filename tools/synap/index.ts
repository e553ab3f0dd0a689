import type { ToolsetDef } from '../../src/tool.js';
import searchMemory from '../memory/search-memory.js';
import addMemory from './add-memory.js';
import compactConversation from './compact-conversation.js';
import deleteMemory from './delete-memory.js';
import fetchContext from './fetch-context.js';
import getCompactionStatus from './get-compaction-status.js';
import getMemory from './get-memory.js';
import getMemoryStatus from './get-memory-status.js';
import recordConversationMessage from './record-conversation-message.js';
import updateMemory from './update-memory.js';

/** Synap toolsets: recall by default; writes and deletion opt-in. */
export const synapToolsets: ToolsetDef[] = [
  {
    name: 'synap',
    service: 'synap',
    description:
      'Agent memory (Synap): recall context, read memories, follow ingestions and compactions, search all memory.',
    default: true,
    tools: [searchMemory, fetchContext, getMemory, getMemoryStatus, getCompactionStatus],
  },
  {
    name: 'synap_write',
    service: 'synap',
    description:
      'Synap writes: add and update memories, record conversation messages, compact conversations.',
    default: false,
    tools: [addMemory, updateMemory, recordConversationMessage, compactConversation],
  },
  {
    name: 'synap_admin',
    service: 'synap',
    description: 'Synap deletion: forget memories permanently.',
    default: false,
    tools: [deleteMemory],
  },
];
