/**
 * The three MCP Apps views in a real browser: Debian's Chromium, headless, driven by playwright-core (no
 * browser is downloaded). Each view's HTML is read from the BUILT server (resources/read) and loaded in a
 * test host built on ext-apps' AppBridge (test/apps/host/host.ts); it is fed the tool input and result the
 * same server gave, over its own SyncGuard and Synapse emulators; the view's tools/call goes through the
 * host to that server. Asserted: what a person sees (rows, timeline points and labels, chart series and
 * figures, form fields of the right kinds) and the tools/call the view sends (typed arguments); and that
 * resolving from the view is confirmed as any write (a host client with forms, `--confirm writes`). A
 * screenshot of each view is saved (kept in SYN_MCP_SCREENSHOT_DIR: `SYN_MCP_SCREENSHOT_DIR=docs` renews the
 * ones docs/model.md shows; else in a temporary directory, removed afterwards). Nothing is fetched
 * from the network: every request the browser makes is refused and counted.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { build } from 'esbuild';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sandbox/common/clock.js';
import { createSynapseEmulator, type SynapseEmulator } from '../../src/sandbox/synapse/index.js';
import { createSyncGuardEmulator, type SyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import { CLI, childEnv } from '../e2e/spawn.js';

const CHROMIUM = '/usr/bin/chromium';
const MIN = 60_000;
const DAY = 86_400_000;

/** What the test host page (test/apps/host/host.ts) defines on its window. */
interface HostPage {
  showView(view: unknown): Promise<{ initialized: boolean }>;
}

interface Call {
  name: string;
  arguments?: Record<string, unknown> | undefined;
}

let syncguard: SyncGuardEmulator;
let synapse: SynapseEmulator;
let clock: ManualClock;
let client: Client;
/** The client the host forwards the view's calls to, when not `client`. */
let forward: Client | undefined;
let serverEnv: Record<string, string>;
let context: BrowserContext;
let page: Page;
let userDataDir: string;
let hostScript: string;
const shotDir = process.env.SYN_MCP_SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), 'syn-mcp-views-'));
/** Every tools/call a view sent through the host, in order. */
const calls: Call[] = [];
/** Every request the browser tried to make (all refused): must stay empty. */
const network: string[] = [];
/** Uncaught errors in the host page or a view: must stay empty. */
const pageErrors: string[] = [];

async function call(name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  expect(result.isError, `${name}: ${JSON.stringify(result.content)}`).toBeFalsy();
  return result;
}

async function viewHtml(uri: string): Promise<string> {
  const read = await client.readResource({ uri });
  const content = read.contents[0];
  if (!content || !('text' in content)) throw new Error(`${uri}: no text`);
  return content.text;
}

async function send(integrationKey: string, eventType: string, tenantId: string): Promise<void> {
  await call('send_event', { integrationKey, eventType, tenantId });
}

/**
 * A week of incidents on the emulator's clock: closed ones on earlier days (three patterns), and today an
 * auth failure that closed, was reopened, went Recovering and Open again, a timeout that is Recovering, and
 * a rate limit still Open.
 */
async function seedIncidents(): Promise<void> {
  const days: Array<Array<[string, string, string]>> = [
    [['payments', 'auth_failed', 'acme']],
    [['crm', 'throttled', 'globex']],
    [
      ['payments', 'auth_failed', 'acme'],
      ['crm', 'throttled', 'globex'],
    ],
    [['billing', 'request_timeout', 'initech']],
    [
      ['payments', 'auth_failed', 'umbrella'],
      ['crm', 'throttled', 'globex'],
    ],
    [['crm', 'throttled', 'hooli']],
  ];
  for (const events of days) {
    for (const [key, type, tenant] of events) await send(key, type, tenant);
    clock.advance(DAY);
  }
  await send('payments', 'auth_failed', 'acme');
  clock.advance(16 * MIN); // payments: Recovering after 5 min, Closed after 10 more
  await send('payments', 'auth_failed', 'umbrella'); // within the cooldown → reopened
  clock.advance(1 * MIN);
  await send('billing', 'request_timeout', 'initech');
  clock.advance(5.5 * MIN); // payments: 6.5 min quiet → Recovering
  await send('payments', 'auth_failed', 'acme'); // → Open again
  clock.advance(1 * MIN); // billing: 6.5 min quiet → Recovering
  await send('crm', 'throttled', 'globex');
  clock.advance(2 * MIN);
}

async function show(html: string, args: Record<string, unknown>, result: CallToolResult, theme = 'light') {
  await page.setContent('<!doctype html><html><head><title>test host</title></head><body></body></html>');
  await page.addScriptTag({ content: hostScript });
  const shown = await page.evaluate((view) => (globalThis as unknown as HostPage).showView(view), {
    html,
    args,
    result,
    context: {
      theme: theme as 'light' | 'dark',
      locale: 'en-GB',
      timeZone: 'UTC',
      displayMode: 'inline' as const,
      platform: 'web' as const,
      styles: { variables: { '--font-sans': '"DejaVu Sans", sans-serif' } },
    },
  });
  expect(shown.initialized).toBe(true);
  return page.frameLocator('#view');
}

/** A screenshot of the view once the host has sized its frame to the height the view reported. */
async function screenshot(name: string): Promise<void> {
  const frame = page.frames().find((f) => f !== page.mainFrame());
  if (!frame) throw new Error('no view frame');
  const height = await frame.evaluate<number>('document.documentElement.scrollHeight');
  await page.waitForFunction(`document.getElementById('view').clientHeight >= ${height}`);
  await page.locator('#view').screenshot({ path: join(shotDir, `${name}.png`) });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (see .ci/run)`);
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  clock = new ManualClock(Date.now() - 6 * DAY - 2 * 3_600_000);
  syncguard = createSyncGuardEmulator({ clock });
  synapse = createSynapseEmulator({ pacing: 0 });
  const [sgUrl, saUrl] = await Promise.all([syncguard.listen(), synapse.listen()]);
  serverEnv = childEnv({
    SYNCGUARD_API_KEY: syncguard.apiKey,
    SYNCGUARD_BASE_URL: sgUrl,
    SYNAPSE_API_KEY: synapse.apiKey,
    SYNAPSE_BASE_URL: saUrl,
  });
  client = new Client({ name: 'apps-browser-test', version: '0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [CLI, '--toolsets', 'all'],
      env: serverEnv,
      stderr: 'pipe',
    }),
  );
  const bundled = await build({
    entryPoints: [join(import.meta.dirname, 'host', 'host.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'warning',
  });
  hostScript = bundled.outputFiles[0]?.text ?? '';
  userDataDir = mkdtempSync(join(tmpdir(), 'syn-mcp-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 960, height: 900 },
  });
  await context.route('**/*', (route) => {
    network.push(route.request().url());
    return route.abort();
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.exposeFunction('hostCallTool', async (params: Call) => {
    calls.push({ name: params.name, arguments: params.arguments });
    return (forward ?? client).callTool({ name: params.name, arguments: params.arguments ?? {} });
  });
  await seedIncidents();
}, 120_000);

afterAll(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  if (process.env.SYN_MCP_SCREENSHOT_DIR === undefined) rmSync(shotDir, { recursive: true, force: true });
  await forward?.close();
  await client?.close();
  await Promise.allSettled([syncguard?.close(), synapse?.close()]);
  expect(network).toEqual([]);
  expect(pageErrors).toEqual([]);
});

interface Incident {
  id: string;
  status: string;
  patternName: string;
  confidence: string;
  tenantCount: number;
  reopenCount: number;
  integrationKey: string;
}

describe('MCP Apps views in Chromium (AppBridge test host, built server, emulators)', () => {
  it('Incidents: rows by status, the timeline of the selected one, resolving through the host', async () => {
    const result = await call('list_incidents', { status: ['all'] });
    const items = (result.structuredContent as { items: Incident[] }).items;
    expect(new Set(items.map((i) => i.status))).toEqual(new Set(['Open', 'Recovering', 'Closed']));
    const view = await show(await viewHtml('ui://syn-mcp/incidents.html'), { status: ['all'] }, result);

    // One row per incident, in the table of its status, with pattern, integration, confidence, tenants.
    for (const status of ['Open', 'Recovering', 'Closed']) {
      const expected = items.filter((i) => i.status === status);
      await expect(view.locator(`table[data-status="${status}"] tbody tr`).count()).resolves.toBe(
        expected.length,
      );
      for (const incident of expected) {
        const cells = await view.locator(`tr[data-id="${incident.id}"] td`).allTextContents();
        expect(cells.slice(0, 4)).toEqual([
          incident.patternName,
          incident.integrationKey,
          incident.confidence,
          String(incident.tenantCount),
        ]);
        expect(cells[4]).toMatch(/^\d+ (s|min|h|d)( \d+ (min|h))?$/);
      }
    }

    // The reopened auth failure, selected by keyboard: its timeline comes from get_incident_timeline.
    const reopened = items.find((i) => i.status === 'Open' && i.reopenCount === 1);
    if (!reopened) throw new Error(`no reopened incident: ${JSON.stringify(items)}`);
    const button = view.getByRole('button', {
      name: `Show timeline of ${reopened.patternName} (${reopened.id})`,
    });
    await button.focus();
    await button.press('Enter');
    const points = view.getByRole('list', { name: 'Lifecycle timeline' }).locator('li');
    await points.nth(5).waitFor();
    const timeline = (await call('get_incident_timeline', { id: reopened.id })).structuredContent as {
      entries: Array<{ reason: string }>;
    };
    expect(timeline.entries).toHaveLength(6);
    const texts = await points.allTextContents();
    expect(texts).toHaveLength(6);
    expect(texts[0]).toMatch(/^Opened \(Open\)/);
    expect(texts[1]).toMatch(/^Open → Recovering.*No events for 5 min/);
    expect(texts[2]).toMatch(/^Recovering → Closed.*Stable for 10 min/);
    expect(texts[3]).toMatch(/^Reopened: Closed → Open.*cooldown/);
    expect(texts[4]).toMatch(/^Open → Recovering/);
    expect(texts[5]).toMatch(/^Recovering → Open.*New event during recovery/);
    for (const [i, entry] of timeline.entries.entries()) expect(texts[i]).toContain(entry.reason);
    expect(texts.every((t) => / UTC/.test(t))).toBe(true);
    expect(calls.at(-1)).toEqual({ name: 'get_incident_timeline', arguments: { id: reopened.id } });
    await screenshot('apps-incidents');

    // Resolve through the host: resolve_incident on the server, the incident closed upstream.
    await view.getByRole('button', { name: 'Resolve incident' }).press('Enter');
    await view.getByRole('list', { name: 'Lifecycle timeline' }).locator('li').nth(6).waitFor();
    expect(calls.filter((c) => c.name === 'resolve_incident')).toEqual([
      { name: 'resolve_incident', arguments: { id: reopened.id } },
    ]);
    const after = (await call('get_incident', { id: reopened.id })).structuredContent as Incident;
    expect(after.status).toBe('Closed');
    expect(await view.locator(`table[data-status="Closed"] tr[data-id="${reopened.id}"]`).count()).toBe(1);
    await expect(
      view.getByRole('list', { name: 'Lifecycle timeline' }).locator('li').nth(6).textContent(),
    ).resolves.toMatch(/^Open → Closed.*Manually resolved/);
  }, 60_000);

  it('Incidents from get_incident: the one incident with its tenants, and its timeline at once', async () => {
    const listed = await call('list_incidents', { status: ['recovering'] });
    const recovering = (listed.structuredContent as { items: Incident[] }).items[0];
    if (!recovering) throw new Error('no recovering incident');
    const result = await call('get_incident', { id: recovering.id });
    const detail = result.structuredContent as Incident & {
      affectedTenants: Array<{ tenantName: string; eventCount: number }>;
    };
    const before = calls.length;
    const view = await show(await viewHtml('ui://syn-mcp/incidents.html'), { id: recovering.id }, result);
    await view.getByRole('list', { name: 'Lifecycle timeline' }).locator('li').nth(1).waitFor();
    expect(calls.slice(before)).toEqual([
      { name: 'get_incident_timeline', arguments: { id: recovering.id } },
    ]);
    await expect(
      view.getByRole('list', { name: 'Affected tenants' }).locator('li').allTextContents(),
    ).resolves.toEqual(detail.affectedTenants.map((t) => `${t.tenantName}: ${t.eventCount} events`));
    await expect(view.locator('table[data-status="Recovering"] tbody tr').count()).resolves.toBe(1);
  }, 60_000);

  it('Trends: one chart series per pattern with its daily counts, the period and time zone, the figures', async () => {
    const result = await call('get_workspace_trends');
    const trends = (
      result.structuredContent as {
        items: Array<{ patternId: string; trend: string; buckets: Array<{ date: string; count: number }> }>;
      }
    ).items;
    expect(trends.map((t) => t.patternId).sort()).toEqual([
      'auth_failure',
      'rate_limit_exceeded',
      'timeout_spike',
    ]);
    const view = await show(await viewHtml('ui://syn-mcp/trends.html'), {}, result, 'dark');
    // The view asks the host for the other half.
    await view.locator('.figures').waitFor();
    expect(calls.at(-1)).toEqual({ name: 'get_workspace_stats', arguments: {} });
    const stats = (await call('get_workspace_stats')).structuredContent as Record<string, number>;
    const figures = await view.locator('.figures dd').allTextContents();
    expect(figures[0]).toBe(String(stats.openIncidents));
    expect(figures[1]).toBe(String(stats.recoveringIncidents));

    // uPlot's legend: the x series, then one per pattern named with its trend.
    const labels = await view.locator('.u-legend .u-series .u-label').allTextContents();
    const arrow: Record<string, string> = { up: '↑ rising', down: '↓ falling', flat: '→ flat' };
    expect(labels).toEqual(['Day (UTC)', ...trends.map((t) => `${t.patternId} (${arrow[t.trend]})`)]);
    await expect(view.locator('.uplot canvas').count()).resolves.toBe(1);
    const dates = trends[0]?.buckets.map((b) => b.date) ?? [];
    expect(dates).toHaveLength(7);
    const title = await view.locator('#chart-title').textContent();
    expect(title).toContain(`${dates[0]} to ${dates[6]}`);
    expect(title).toContain('UTC');
    // The same numbers, as a table: a row per day, a column per pattern.
    const rows = view.locator('details table tbody tr');
    await expect(rows.count()).resolves.toBe(7);
    for (const [d, date] of dates.entries()) {
      const cells = await rows.nth(d).locator('th, td').allTextContents();
      expect(cells).toEqual([date, ...trends.map((t) => String(t.buckets[d]?.count))]);
    }
    // The host's theme: dark now, light after a host context change.
    const frame = page.frames().find((f) => f !== page.mainFrame());
    if (!frame) throw new Error('no view frame');
    await expect(frame.evaluate('document.documentElement.dataset.theme')).resolves.toBe('dark');
    const background = 'getComputedStyle(document.body).backgroundColor';
    const darkBg = await frame.evaluate<string>(background);
    await view.locator('details summary').press('Enter');
    await screenshot('apps-trends');
    await page.evaluate("window.setHostContext({ theme: 'light' })");
    await frame.waitForFunction("document.documentElement.dataset.theme === 'light'");
    expect(await frame.evaluate<string>(background)).not.toBe(darkBg);
    // The host's font, given as its --font-sans style variable.
    await expect(frame.evaluate<string>('getComputedStyle(document.body).fontFamily')).resolves.toContain(
      'DejaVu Sans',
    );
  }, 60_000);

  it('Orchestration run: the steps, a typed form for the paused step, submit resumes with typed answers', async () => {
    const args = { orch_id: 'orch_change_review', message: 'rotate the payments API key' };
    const result = await call('run_orchestration', args);
    const paused = result.structuredContent as { status: string; run_id: string };
    expect(paused.status).toBe('paused');
    const view = await show(await viewHtml('ui://syn-mcp/orchestration-run.html'), args, result);

    const steps = await view.getByRole('list', { name: 'Steps' }).locator('li').allTextContents();
    expect(steps).toEqual([expect.stringMatching(/^paused\s*review \(waiting for your input\)\s*human$/)]);
    // Each field as the input of its kind, found by its label.
    const form = view.getByRole('form', { name: 'Human input' });
    await form.waitFor();
    const typeOf = (label: string) => form.getByLabel(label, { exact: true }).getAttribute('type');
    await expect(typeOf('Approve the change?')).resolves.toBe('checkbox');
    await expect(typeOf('Risk score (0-10)')).resolves.toBe('number');
    await expect(typeOf('Change date')).resolves.toBe('date');
    await expect(typeOf('On-call contact')).resolves.toBe('email');
    await expect(typeOf('Notes')).resolves.toBe('text');
    const environment = form.getByLabel('Environment', { exact: true });
    await expect(environment.evaluate((el) => el.tagName)).resolves.toBe('SELECT');
    await expect(environment.locator('option').allTextContents()).resolves.toEqual([
      'Choose…',
      'staging',
      'production',
    ]);
    const notify = form.getByRole('group', { name: 'Also notify' });
    await expect(notify.getByRole('checkbox').count()).resolves.toBe(3);

    // Submitting with answers missing sends nothing and says what to correct.
    const before = calls.length;
    await form.getByRole('button', { name: 'Submit and resume' }).press('Enter');
    await form
      .getByRole('alert')
      .filter({ hasText: /risk: missing/ })
      .waitFor();
    expect(calls.length).toBe(before);

    // Filled by keyboard.
    await form.getByLabel('Approve the change?').press('Space');
    await form.getByLabel('Risk score (0-10)').fill('3.5');
    await environment.selectOption({ label: 'production' });
    await notify.getByLabel('alice').press('Space');
    await notify.getByLabel('carol').press('Space');
    await form.getByLabel('Change date').fill('2026-12-09');
    await form.getByLabel('On-call contact').fill('oncall@example.com');
    await form.getByLabel('Notes').fill('After the freeze');
    await screenshot('apps-orchestration-run');
    await form.getByRole('button', { name: 'Submit and resume' }).press('Enter');

    await view.getByText('Approved: production on 2026-12-09').waitFor();
    const resume = calls.filter((c) => c.name === 'resume_orchestration_run');
    expect(resume).toEqual([
      {
        name: 'resume_orchestration_run',
        arguments: {
          run_id: paused.run_id,
          response: {
            approved: true,
            risk: 3.5,
            environment: 'production',
            reviewers: ['alice', 'carol'],
            window: '2026-12-09',
            contact: 'oncall@example.com',
            notes: 'After the freeze',
          },
        },
      },
    ]);
    await expect(view.locator('h1 .badge').textContent()).resolves.toBe('completed');
    const done = await view.getByRole('list', { name: 'Steps' }).locator('li').allTextContents();
    expect(done.some((s) => /Record the decision/.test(s))).toBe(true);
  }, 60_000);
  it('Resolving from the view is confirmed as any write (--confirm writes, through the host client)', async () => {
    // A host whose client shows forms: the server asks it before resolve_incident, as for any write.
    const answers: Array<'decline' | 'accept'> = ['decline', 'accept'];
    const asked: string[] = [];
    const host = new Client(
      { name: 'apps-confirming-host', version: '0' },
      { capabilities: { elicitation: {} } },
    );
    host.setRequestHandler('elicitation/create', async (request) => {
      const params = request.params as {
        message: string;
        requestedSchema: { properties: Record<string, unknown> };
      };
      asked.push(params.message);
      const action = answers.shift() ?? 'decline';
      if (action === 'decline') return { action };
      const content = Object.fromEntries(
        Object.keys(params.requestedSchema.properties).map((k) => [k, true]),
      );
      return { action, content };
    });
    await host.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [CLI, '--toolsets', 'all', '--confirm', 'writes'],
        env: serverEnv,
        stderr: 'pipe',
      }),
    );
    forward = host;
    const result = await call('list_incidents', { status: ['open'] });
    const open = (result.structuredContent as { items: Incident[] }).items[0];
    if (!open) throw new Error('no open incident left');
    const view = await show(await viewHtml('ui://syn-mcp/incidents.html'), { status: ['open'] }, result);
    await view
      .getByRole('button', { name: `Show timeline of ${open.patternName} (${open.id})` })
      .press('Enter');
    const resolve = view.getByRole('button', { name: 'Resolve incident' });
    await resolve.press('Enter');
    await view
      .getByRole('status')
      .filter({ hasText: /Not resolved: .*not confirmed by the user/ })
      .waitFor();
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain(open.id);
    expect(((await call('get_incident', { id: open.id })).structuredContent as Incident).status).toBe('Open');
    // Accepted the second time: resolved upstream, once.
    await resolve.press('Enter');
    await view.locator(`table[data-status="Closed"] tr[data-id="${open.id}"]`).waitFor();
    expect(asked).toHaveLength(2);
    expect(((await call('get_incident', { id: open.id })).structuredContent as Incident).status).toBe(
      'Closed',
    );
    expect(calls.filter((c) => c.name === 'resolve_incident' && c.arguments?.id === open.id)).toHaveLength(2);
  }, 60_000);
});
