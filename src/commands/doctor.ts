/**
 * `syn-mcp doctor`: for each service, is the credential there and of the right kind, is the base URL
 * well-formed and reachable (DNS, TCP, then HTTP), and does one cheap authenticated read succeed; then the tools
 * that would be enabled and the catalog's token count. Every failure comes with its fix; the exit code is 1
 * when anything failed. No secret is ever printed: values are described (kind, length), never shown, and every
 * line goes through the redactor. A command, not the MCP server: it prints to stdout.
 */
import { APIS, apiOfVar, CREDENTIAL_VARS } from '../apis.js';
import { type Env, readFlags, secretsOf } from '../config.js';
import { ConfigError } from '../errors.js';
import { HttpClient } from '../http/client.js';
import { redact, registerSecret } from '../http/redact.js';
import { createApiViews } from '../services.js';
import { clientSection } from './doctor/client.js';
import { lenientConfig } from './doctor/config.js';
import { type DoctorReport, fail, formatReport, ok, type Section, skip } from './doctor/report.js';
import { nodeCheck } from './doctor/runtime.js';
import { checkService } from './doctor/service.js';
import { CLIENTS, type ClientId } from './init/clients.js';
import { catalogOf } from './tools.js';

export { proxyFor } from './doctor/network.js';
export {
  type Check,
  clip,
  type DoctorReport,
  formatReport,
  type Section,
  type Status,
} from './doctor/report.js';
export { MIN_NODE } from './doctor/runtime.js';

/** Options of `doctor`. */
interface DoctorOptions {
  json: boolean;
  timeoutMs: number;
  client: ClientId | undefined;
  config: string | undefined;
  platform: string;
  /** Selection flags passed on to the configuration (--toolsets, --tools, --read-only). */
  selection: string[];
}

function parseDoctorArgs(argv: readonly string[]): DoctorOptions {
  const values = readFlags(
    argv,
    {
      json: { type: 'boolean' },
      timeout: { type: 'string' },
      client: { type: 'string' },
      config: { type: 'string' },
      platform: { type: 'string' },
      toolsets: { type: 'string' },
      tools: { type: 'string' },
      'read-only': { type: 'boolean' },
    },
    (message) => `doctor: ${message}. Usage: ${DOCTOR_USAGE}`,
  );
  const timeout = values.timeout === undefined ? 5 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 120) {
    throw new ConfigError(
      `doctor: --timeout must be a number of seconds from 0 to 120 (got "${String(values.timeout)}").`,
    );
  }
  const client = typeof values.client === 'string' ? values.client : undefined;
  if (client !== undefined && !(client in CLIENTS)) {
    throw new ConfigError(
      `doctor: --client must be one of ${Object.keys(CLIENTS).join(', ')} (got "${client}").`,
    );
  }
  const selection: string[] = [];
  if (typeof values.toolsets === 'string') selection.push('--toolsets', values.toolsets);
  if (typeof values.tools === 'string') selection.push('--tools', values.tools);
  if (values['read-only'] === true) selection.push('--read-only');
  return {
    json: values.json === true,
    timeoutMs: timeout * 1000,
    client: client as ClientId | undefined,
    config: typeof values.config === 'string' ? values.config : undefined,
    platform: typeof values.platform === 'string' ? values.platform : process.platform,
    selection,
  };
}

/** One-line usage of `doctor`. */
export const DOCTOR_USAGE =
  'syn-mcp doctor [--client claude-desktop|claude-code|cursor|vscode [--config <file>]] [--toolsets …] [--tools …] [--read-only] [--timeout S] [--json]';

/** Runs every check; never throws for a problem it can describe. */
export async function runDoctor(
  argv: readonly string[],
  baseEnv: Env,
  cwd: string = process.cwd(),
): Promise<DoctorReport> {
  const opts = parseDoctorArgs(argv);
  const sections: Section[] = [{ id: 'runtime', title: 'Runtime', checks: [nodeCheck()] }];
  let env: Env = baseEnv;
  /** Variables the client prompts the user for (VS Code inputs) and that could not be checked here. */
  const prompted: string[] = [];
  if (opts.client) {
    const spec = CLIENTS[opts.client];
    const platform = (['win32', 'darwin', 'linux'].includes(opts.platform) ? opts.platform : 'linux') as
      | 'win32'
      | 'darwin'
      | 'linux';
    const file = opts.config ?? spec.configPath(platform, baseEnv, cwd);
    const fromClient = clientSection(opts.client, file, baseEnv, opts.platform);
    sections.push(fromClient.section);
    prompted.push(...fromClient.prompted);
    // The server sees the client's variables for the services; this shell's service variables are left out.
    const own = Object.fromEntries(Object.entries(baseEnv).filter(([k]) => !apiOfVar(k)));
    env = { ...own, ...fromClient.env };
  }
  for (const name of [...CREDENTIAL_VARS, 'SYN_MCP_HTTP_TOKEN']) registerSecret(env[name]?.trim());
  const { config, problems, blocked } = lenientConfig(opts.selection, env);
  for (const s of secretsOf(config)) registerSecret(s);

  if (config.proxy) {
    const hostOf = (u: string | undefined) => (u ? new URL(u).host : 'none');
    sections[0]?.checks.push(
      ok(
        'proxy',
        `HTTPS requests go through ${hostOf(config.proxy.httpsProxy ?? config.proxy.httpProxy)}, HTTP through ${hostOf(config.proxy.httpProxy)}; direct: ${config.proxy.noProxy}`,
      ),
    );
  }
  const http = new HttpClient({
    policy: { maxRetries: 0, attemptTimeoutMs: opts.timeoutMs, callDeadlineMs: opts.timeoutMs },
    proxy: config.proxy,
  });
  try {
    const { configured } = createApiViews(http, config);
    const now = Date.now();
    const perService = await Promise.all(
      APIS.map(async ({ name: service, label: title }): Promise<Section> => {
        const checks = [...(problems.get(service) ?? [])];
        if (!config.services[service]) {
          const notice = config.notices.find((n) => n.startsWith(`${title}:`));
          if (checks.length === 0)
            checks.push(
              skip(
                'not configured',
                notice?.replace(`${title}: skipped `, '').replace(/^\((.*)\)$/, '$1') ?? 'no credential',
              ),
            );
          return { id: service, title, checks };
        }
        const networkAllowed = !blocked.has(service);
        checks.push(
          ...(await checkService(service, config, configured, env, opts.timeoutMs, now, networkAllowed)),
        );
        return { id: service, title, checks };
      }),
    );
    sections.push(...perService);
    const settings = problems.get('settings') ?? [];
    if (Object.keys(config.services).length === 0 && prompted.length === 0) {
      settings.push(
        fail(
          'services',
          'no service is configured: syn-mcp would offer no tools',
          'set the credential of at least one service (syn-mcp init --client … prints the variables), or try everything with no account: npx -y syn-mcp --sandbox',
        ),
      );
    }
    if (settings.length > 0) sections.push({ id: 'settings', title: 'Settings', checks: settings });

    let tools: DoctorReport['tools'];
    try {
      const { rows, total, largest } = await catalogOf(config);
      const byToolset: Record<string, string[]> = {};
      for (const r of rows) byToolset[r.toolset] = [...(byToolset[r.toolset] ?? []), r.name];
      tools = { count: rows.length, tokens: total, largest, byToolset };
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      sections.push({
        id: 'settings',
        title: 'Tool selection',
        checks: [fail('selection', err.message, 'fix --toolsets/--tools')],
      });
    }
    const all = sections.flatMap((s) => s.checks);
    const problemsCount = all.filter((c) => c.status === 'fail').length;
    return {
      ok: problemsCount === 0,
      problems: problemsCount,
      warnings: all.filter((c) => c.status === 'warn').length,
      sections,
      ...(tools ? { tools } : {}),
    };
  } finally {
    await http.close();
  }
}

/** `syn-mcp doctor …`: prints the report (redacted) and returns 0 when nothing failed, 1 otherwise. */
export async function doctorCommand(
  argv: readonly string[],
  env: Env,
  version: string,
  out: (text: string) => void = (t) => process.stdout.write(t),
): Promise<number> {
  const report = await runDoctor(argv, env);
  const json = argv.includes('--json');
  out(redact(json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, version)));
  return report.ok ? 0 : 1;
}
