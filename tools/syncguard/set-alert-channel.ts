import { z } from 'zod';
import { InputError } from '../../src/errors.js';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { channelSchema, isRecord, toChannel } from './schemas.js';
import { unconfirmed } from './unconfirmed.js';

/** The config key each provider needs (seed 002 "Alerts"; Teams takes an incoming-webhook URL). */
const REQUIRED: Readonly<Record<string, 'webhookUrl' | 'routingKey' | 'apiKey'>> = {
  slack: 'webhookUrl',
  teams: 'webhookUrl',
  pagerduty: 'routingKey',
  opsgenie: 'apiKey',
};

export default defineTool({
  name: 'set_alert_channel',
  title: 'SyncGuard · Set alert channel',
  description:
    'Create or replace the SyncGuard alert channel of one provider, alerted at every incident transition. The result omits its credential.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  input: z.strictObject({
    provider: z.enum(['slack', 'pagerduty', 'opsgenie', 'teams']).describe('Alert provider.'),
    config: z
      .strictObject({
        webhookUrl: z.string().min(1).optional().describe('slack / teams: incoming webhook URL.'),
        routingKey: z.string().min(1).optional().describe('pagerduty: Events API routing key.'),
        apiKey: z.string().min(1).optional().describe('opsgenie: API key.'),
      })
      .describe('Only the key the provider needs.'),
    isEnabled: z.boolean().optional().describe('false pauses alerts (default true).'),
  }),
  output: channelSchema.extend({
    confirmed: z
      .boolean()
      .describe("true: the channel as SyncGuard's answer shows it; false: what was sent (see note)"),
    note: z.string().optional(),
  }),
  async handler(args, ctx) {
    const needed = REQUIRED[args.provider] ?? 'webhookUrl';
    const given = Object.keys(args.config);
    if (given.length !== 1 || given[0] !== needed) {
      throw new InputError(`${args.provider} needs exactly config.${needed}.`, [
        { path: 'config', message: `give only ${needed}` },
      ]);
    }
    const res = await ctx.api.syncguard.request({
      method: 'PUT',
      path: buildPath('/workspaces/me/channels/{provider}', { provider: args.provider }),
      body: { config: args.config, isEnabled: args.isEnabled ?? true },
    });
    const data = res.data;
    // Only a channel in the answer confirms what SyncGuard now holds; the documents do not say what PUT returns.
    if (isRecord(data) && isRecord(data.config)) {
      return { ...toChannel({ provider: args.provider, ...data }), confirmed: true };
    }
    return {
      provider: args.provider,
      isEnabled: args.isEnabled ?? true,
      configuredFields: given,
      confirmed: false,
      note: unconfirmed(
        res.status,
        `${args.provider} channel`,
        ['the channel'],
        'the fields above are what was sent, not confirmed',
        'get_workspace lists the channels SyncGuard holds.',
      ),
    };
  },
});
