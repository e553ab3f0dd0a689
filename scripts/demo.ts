/**
 * `npm run demo`: a scripted agent session against the sandbox. The official SDK Client launches the
 * built server over stdio (`syn-mcp --sandbox`) and prints a readable transcript of each call.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** The shipped bin (package.json `bin`), from dist/scripts/demo.js. */
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  bin: Record<string, string>;
};
const cli = fileURLToPath(new URL(`../../${pkg.bin['syn-mcp']}`, import.meta.url));
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

/** Real time passing, so the sandbox's lifecycle timers are seen to act (a demo, not a test). */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function show(value: unknown): string {
  return JSON.stringify(value, null, 2)
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

async function main(): Promise<void> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, '--sandbox', '--toolsets', 'all'],
    stderr: 'pipe',
    env: { PATH: process.env.PATH ?? '' },
  });
  const client = new Client({ name: 'syn-mcp-demo', version: '1.0.0' });
  await client.connect(transport);
  const info = client.getServerVersion();
  console.log(bold(`Connected to ${info?.name} ${info?.version} over stdio (sandbox mode)\n`));

  const { tools } = await client.listTools();
  console.log(bold(`Agent: which tools do I have? (${tools.length})`));
  for (const t of tools) {
    const kind = t.annotations?.readOnlyHint ? 'read' : 'write';
    console.log(`  - ${t.name.padEnd(18)} ${kind.padEnd(5)} ${t.title ?? ''}`);
  }

  const call = async (name: string, args: Record<string, unknown>, why: string) => {
    console.log(`\n${bold(`Agent: ${why}`)}\n  → ${name} ${JSON.stringify(args)}`);
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    if (result.isError) {
      const first = result.content[0];
      console.log(`  ✗ ${first?.type === 'text' ? first.text : 'error'}`);
    } else {
      console.log(`  ← result:\n${show(result.structuredContent)}`);
    }
    return result.structuredContent as Record<string, unknown> | undefined;
  };

  const first = await call(
    'send_event',
    {
      integrationKey: 'payments-service',
      eventType: 'token_refresh_failed',
      tenantId: 'acme-corp',
      errorCode: '401',
    },
    'the payments integration failed to refresh a token for acme-corp; report it.',
  );
  console.log(
    `  = SyncGuard classified it as ${first?.patternId} (${first?.confidence}) and opened incident ${first?.incidentId}`,
  );

  const second = await call(
    'send_event',
    { integrationKey: 'payments-service', eventType: 'auth_failed', tenantId: 'beta-ltd', errorCode: '403' },
    'beta-ltd hits the same auth failure.',
  );
  console.log(
    `  = grouped into the same incident: ${second?.incidentId === first?.incidentId}, new incident: ${second?.isNewIncident}, tenants: ${JSON.stringify(second?.affectedTenants)}`,
  );

  await call(
    'send_event',
    {
      integrationKey: 'crm-sync',
      eventType: 'request_timeout',
      tenantId: 'gamma-inc',
      rawPayload: { durationMs: 30000 },
    },
    'the CRM sync timed out for gamma-inc.',
  );

  await call('list_incidents', {}, 'which incidents are active now?');
  await call(
    'resolve_incident',
    { id: first?.incidentId },
    'the token issue is fixed; resolve that incident.',
  );
  await call('list_incidents', { status: ['closed'] }, 'show me the closed incidents.');
  await call('resolve_incident', { id: 'does-not-exist' }, 'what happens with a wrong id?');

  console.log(bold('\n— The incident lifecycle, in real time (windows shortened in the sandbox) —'));
  await call(
    'update_workspace',
    { recoveryWindowSeconds: 1, closeWindowSeconds: 2, cooldownWindowSeconds: 60 },
    'shorten the lifecycle windows: recover after 1 s quiet, close after 2 s stable.',
  );
  const erp = await call(
    'send_event',
    {
      integrationKey: 'erp-sync',
      eventType: 'sync_failed',
      tenantId: 'acme-corp',
      errorCode: 'mapping_error',
    },
    'the ERP sync failed for acme-corp.',
  );
  const id = erp?.incidentId;
  await pause(1_200);
  const recovering = await call('get_incident', { id }, 'a second later, is it still open?');
  console.log(`  = status: ${recovering?.status}`);
  await pause(2_200);
  const closed = await call('get_incident', { id }, 'two more seconds of quiet: what now?');
  console.log(`  = status: ${closed?.status}`);
  const again = await call(
    'send_event',
    { integrationKey: 'erp-sync', eventType: 'sync_failed', tenantId: 'beta-ltd' },
    'the ERP sync fails again within the cooldown.',
  );
  console.log(`  = same incident reopened: ${again?.incidentId === id}, status ${again?.incidentStatus}`);
  await call('get_incident_timeline', { id }, 'show the incident timeline.');

  await client.close();
  console.log(
    bold(
      '\nDone: tools listed, events sent, incident opened and grouped, incidents listed, incident resolved, ' +
        'lifecycle Open → Recovering → Closed → reopened.',
    ),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
