import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { integrationPointSchema, resultOf, withId } from './schemas.js';
import { noteField, unshownNote } from './unconfirmed.js';

const record = z.record(z.string(), z.unknown()).describe('Template');

export default defineTool({
  name: 'create_integration_point',
  title: 'Synqly · Create integration point',
  description:
    'Create a Synqly integration point: a connector category with the providers allowed in test and prod; its id is for create_integration.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synqly'],
  input: z.strictObject({
    connector: z.string().min(1).describe('e.g. "siem", "ticketing".'),
    environments: z
      .strictObject({
        test: z.array(z.string().min(1)).optional().describe('Provider ids, e.g. ticketing_jira.'),
        prod: z.array(z.string().min(1)).optional().describe('Provider ids.'),
      })
      .describe('Allowed providers; may be empty.'),
    name: z.string().min(1).optional().describe('Unique short name.'),
    fullname: z.string().min(1).optional().describe('Display name.'),
    description: z.string().min(1).optional().describe('What it is for.'),
    mappings: z.array(record).optional().describe('Mapping chain templates.'),
    additional_mappings: z.array(record).optional().describe('Additional mapping templates.'),
    scheduled_operations: z.array(record).optional().describe('Scheduled operations.'),
  }),
  output: z.object({ integration_point: integrationPointSchema, note: noteField }),
  async handler(args, ctx) {
    const data = await ctx.api.synqly.management({
      method: 'POST',
      path: '/v1/integration-points',
      body: args,
    });
    const point = withId(integrationPointSchema, resultOf(data));
    const note = unshownNote(
      point,
      'integration point',
      'whether it was created is not confirmed; check with list_integration_points before creating it again',
    );
    return { integration_point: point, ...note };
  },
});
