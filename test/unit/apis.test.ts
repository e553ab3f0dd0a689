import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APIS, CREDENTIAL_VARS } from '../../src/apis.js';
import { bindCall } from '../../src/call-view.js';
import { SERVICE_VARS } from '../../src/commands/init/vars.js';
import { HELP, loadConfig, secretsOf } from '../../src/config.js';
import { SERVICE_LABEL } from '../../src/errors.js';
import { HttpClient } from '../../src/http/client.js';
import { type Sandbox, SERVICE_ENV_PREFIXES, startSandbox } from '../../src/sandbox/index.js';
import { createApiViews, endpointsFrom } from '../../src/services.js';

const noFiles = (path: string): string => {
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
};

/** A distinct, recognisable value for each credential variable. */
const values = Object.fromEntries(
  CREDENTIAL_VARS.map((name, i) => [name, `value-${i}-${name.toLowerCase()}`]),
);

describe('one record per API: every consumer follows it', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('configuration: each API is configured by its enabling variables alone, with its documented base URL', () => {
    for (const api of APIS) {
      for (const spec of api.credentials.filter((c) => c.enables)) {
        const c = loadConfig([], { [spec.env]: 'some-value' }, noFiles);
        expect(Object.keys(c.services)).toEqual([api.name]);
        expect(c.services[api.name]?.baseUrl).toBe(api.defaultBaseUrl);
      }
      const none = loadConfig([], {}, noFiles);
      expect(none.notices.some((n) => n.startsWith(`${api.label}: skipped`))).toBe(true);
    }
  });

  it('secrets, auth and help: every credential variable is redacted, sent as its record says and documented', () => {
    const config = loadConfig([], values, noFiles);
    const secrets = secretsOf(config);
    const endpoints = endpointsFrom(config);
    for (const api of APIS) {
      expect(SERVICE_LABEL[api.name]).toBe(api.label);
      expect(HELP).toContain(api.baseUrlEnv);
      for (const spec of api.credentials) {
        const value = values[spec.env] ?? '';
        expect(secrets).toContain(value);
        expect(HELP).toContain(spec.env);
        expect(endpoints[api.name]?.credentials[spec.id]).toEqual({
          env: spec.env,
          header: spec.header,
          scheme: spec.scheme,
          secret: value,
        });
      }
    }
  });

  it('an unconfigured API names the variables that enable it', async () => {
    const http = new HttpClient();
    try {
      const views = createApiViews(http, loadConfig([], {}, noFiles));
      const api = bindCall(views, {
        signal: new AbortController().signal,
        deadline: Date.now(),
        correlationId: 'c',
        observe: undefined,
      });
      for (const record of APIS) {
        const env = record.credentials.filter((c) => c.enables).map((c) => c.env);
        expect(() => api[record.name]).toThrow(
          new RegExp(`${record.label} is not configured: set ${env.join(' or ')}`),
        );
      }
    } finally {
      await http.close();
    }
  });

  it('init offers each API with a placeholder for its credential', () => {
    for (const api of APIS) {
      expect(SERVICE_VARS[api.name].map((v) => v.name)).toContain(api.credentials[0]?.env);
    }
  });

  it('the sandbox mounts every API at its base URL variable, with every credential its emulator holds', () => {
    expect(SERVICE_ENV_PREFIXES).toEqual(APIS.map((a) => a.envPrefix));
    for (const api of APIS) {
      expect(sandbox.env[api.baseUrlEnv]).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
      for (const spec of api.credentials) expect(sandbox.env[spec.env]).toBeTruthy();
    }
    const c = loadConfig([], sandbox.env, noFiles);
    expect(Object.keys(c.services).sort()).toEqual(APIS.map((a) => a.name).sort());
  });
});
