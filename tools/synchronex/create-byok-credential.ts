import { z } from 'zod';
import { InputError } from '../../src/errors.js';
import { defineTool } from '../../src/tool.js';
import { conform, isRecord } from '../memory/shape.js';
import { byokItem } from './schemas.js';

const output = byokItem.extend({
  key_env: z.string().describe('The environment variable the key was read from (never the key).'),
  note: z.string().optional().describe('Which of id, service and label Synchronex did not confirm.'),
});

/** The fields a created credential is known by: reported only as Synchronex answered them. */
const CONFIRMED = ['id', 'service', 'label'] as const;

export default defineTool({
  name: 'create_byok_credential',
  title: 'Synchronex · Create BYOK credential',
  description:
    'Register a provider API key (BYOK) with Synchronex without the key entering the conversation: key_env names the syn-mcp environment variable holding it, which must be in SYN_MCP_BYOK_ENV_ALLOWLIST. Never ask the user to paste a key. A note names what Synchronex did not confirm.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({
    service: z.string().min(1).describe('Provider, e.g. "openai".'),
    label: z.string().min(1).describe('Name to recognise it by.'),
    key_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .describe('Variable name, e.g. "OPENAI_API_KEY"; never the key.'),
  }),
  output,
  async handler(args, ctx) {
    const key = Object.hasOwn(ctx.byokKeys, args.key_env) ? ctx.byokKeys[args.key_env] : undefined;
    if (typeof key !== 'string' || key === '') {
      throw new InputError(
        `key_env ${args.key_env} is not usable: only environment variables listed in SYN_MCP_BYOK_ENV_ALLOWLIST ` +
          '(and set) can be registered. Ask the user to add it to SYN_MCP_BYOK_ENV_ALLOWLIST, set it in the ' +
          'environment of syn-mcp and restart it; never ask for the key itself.',
        [{ path: 'key_env', message: 'not in SYN_MCP_BYOK_ENV_ALLOWLIST, or not set' }],
      );
    }
    const data = await ctx.api.synchronex.post('/byok', {
      body: { service: args.service, label: args.label, key },
    });
    const item = conform(byokItem, isRecord(data) ? data : {});
    // Not filled in from the arguments: what was asked for is not what Synchronex confirms it stored.
    const missing = CONFIRMED.filter((k) => typeof item[k] !== 'string');
    if (missing.length === 0) return { ...item, key_env: args.key_env };
    return {
      ...item,
      key_env: args.key_env,
      note:
        `Synchronex's answer did not include ${missing.join(', ')}: the credential it stored is not confirmed ` +
        'by it; check with list_byok_credentials before creating it again.',
    };
  },
});
