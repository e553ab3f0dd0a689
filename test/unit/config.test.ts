import { describe, expect, it } from 'vitest';
import {
  type Config,
  DEFAULT_BASE_URLS,
  type Env,
  HELP,
  isLoopbackHost,
  loadConfig,
  secretsOf,
  synapseBaseUrlWarning,
} from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

/** A readFile that serves an in-memory file system and fails like fs for anything else. */
function files(map: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = map[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };
}

const noFiles = files({});

function load(env: Env = {}, argv: readonly string[] = [], readFile = noFiles): Config {
  return loadConfig(argv, env, readFile);
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const ALL_KEYS: Env = {
  SYNCGUARD_API_KEY: 'sg_key_123456',
  SYNCGUARD_JWT: 'jwt.value.123456',
  SYNAPSE_API_KEY: 'sk-syn-123456',
  SYNQLY_ORG_TOKEN: 'org_token_123456',
  SYNQLY_INTEGRATION_TOKEN: 'int_token_123456',
  SYNAP_API_KEY: 'synap_123456',
  SYNCHRONEX_API_KEY: 'sx_live_123456',
};

describe('loadConfig: services', () => {
  it('reads every credential and uses the documented default base URLs', () => {
    const c = load(ALL_KEYS);
    expect(c.services).toEqual({
      syncguard: {
        baseUrl: 'https://api.syncguard.io/api/v1',
        apiKey: 'sg_key_123456',
        jwt: 'jwt.value.123456',
      },
      synapse: { baseUrl: 'http://localhost:8765/api/v1', apiKey: 'sk-syn-123456' },
      synqly: {
        baseUrl: 'https://api.synqly.com',
        orgToken: 'org_token_123456',
        integrationToken: 'int_token_123456',
      },
      synap: { baseUrl: 'https://synap-cloud-prod.maximem.ai', apiKey: 'synap_123456' },
      synchronex: { baseUrl: 'https://synchronex.ai/api/v1', apiKey: 'sx_live_123456' },
    });
    expect(c.notices).toEqual([]);
    expect(DEFAULT_BASE_URLS).toEqual({
      syncguard: 'https://api.syncguard.io/api/v1',
      synapse: 'http://localhost:8765/api/v1',
      synap: 'https://synap-cloud-prod.maximem.ai',
      synchronex: 'https://synchronex.ai/api/v1',
    });
  });

  it('reads every *_BASE_URL and strips trailing slashes', () => {
    const c = load({
      ...ALL_KEYS,
      SYNCGUARD_BASE_URL: 'https://api.syncguard.dev/api/v1/',
      SYNAPSE_BASE_URL: 'http://127.0.0.1:9000/api/v1//',
      SYNQLY_BASE_URL: 'https://synqly.internal/',
      SYNAP_BASE_URL: 'https://api.synap.maximem.ai/',
      SYNCHRONEX_BASE_URL: 'http://localhost:3010/api/v1/',
    });
    expect(c.services.syncguard?.baseUrl).toBe('https://api.syncguard.dev/api/v1');
    expect(c.services.synapse?.baseUrl).toBe('http://127.0.0.1:9000/api/v1');
    expect(c.services.synqly?.baseUrl).toBe('https://synqly.internal');
    expect(c.services.synap?.baseUrl).toBe('https://api.synap.maximem.ai');
    expect(c.services.synchronex?.baseUrl).toBe('http://localhost:3010/api/v1');
  });

  it('trims whitespace around values', () => {
    const c = load({ SYNAPSE_API_KEY: '  sk-syn-abc \n', SYNAPSE_BASE_URL: ' http://h:1/api/v1 ' });
    expect(c.services.synapse).toEqual({ baseUrl: 'http://h:1/api/v1', apiKey: 'sk-syn-abc' });
  });

  it('warns at startup when SYNAPSE_BASE_URL does not end in /api/v1 (api-notes §2c)', () => {
    for (const url of ['http://localhost:8765', 'http://localhost:8765/api', 'http://h:1/v1']) {
      const c = load({ SYNAPSE_API_KEY: 'sk-syn-abc', SYNAPSE_BASE_URL: url });
      expect(c.notices).toContainEqual(
        expect.stringMatching(/^Synapse: warning: SYNAPSE_BASE_URL ".*" does not end in \/api\/v1/),
      );
      expect(synapseBaseUrlWarning(url)).toMatch(/http:\/\/localhost:8765\/api\/v1/);
    }
    for (const url of ['http://localhost:8765/api/v1', 'https://h/prefix/api/v1/']) {
      const c = load({ SYNAPSE_API_KEY: 'sk-syn-abc', SYNAPSE_BASE_URL: url });
      expect(c.notices.some((n) => n.startsWith('Synapse:'))).toBe(false);
      expect(synapseBaseUrlWarning(url)).toBeUndefined();
    }
  });

  it('reads every secret from <NAME>_FILE through the injected readFile', () => {
    const readFile = files({
      '/run/sg': 'sg_from_file\n',
      '/run/jwt': 'jwt_from_file',
      '/run/synapse': 'synapse_from_file',
      '/run/org': 'org_from_file',
      '/run/int': 'int_from_file',
      '/run/synap': 'synap_from_file',
      '/run/sx': ' sx_from_file ',
      '/run/http': 'http_token_file',
    });
    const c = load(
      {
        SYNCGUARD_API_KEY_FILE: '/run/sg',
        SYNCGUARD_JWT_FILE: '/run/jwt',
        SYNAPSE_API_KEY_FILE: '/run/synapse',
        SYNQLY_ORG_TOKEN_FILE: '/run/org',
        SYNQLY_INTEGRATION_TOKEN_FILE: '/run/int',
        SYNAP_API_KEY_FILE: '/run/synap',
        SYNCHRONEX_API_KEY_FILE: '/run/sx',
        SYN_MCP_HTTP_TOKEN_FILE: '/run/http',
      },
      [],
      readFile,
    );
    expect(c.services.syncguard?.apiKey).toBe('sg_from_file');
    expect(c.services.syncguard?.jwt).toBe('jwt_from_file');
    expect(c.services.synapse?.apiKey).toBe('synapse_from_file');
    expect(c.services.synqly?.orgToken).toBe('org_from_file');
    expect(c.services.synqly?.integrationToken).toBe('int_from_file');
    expect(c.services.synap?.apiKey).toBe('synap_from_file');
    expect(c.services.synchronex?.apiKey).toBe('sx_from_file');
    expect(c.http.token).toBe('http_token_file');
  });

  it('prefers the variable itself over its _FILE and does not read the file then', () => {
    const read: string[] = [];
    const c = load({ SYNAP_API_KEY: 'direct_key', SYNAP_API_KEY_FILE: '/run/synap' }, [], (p) => {
      read.push(p);
      return 'from_file';
    });
    expect(c.services.synap?.apiKey).toBe('direct_key');
    expect(read).toEqual([]);
  });

  it('throws a ConfigError naming the _FILE variable when the file is unreadable or empty', () => {
    const missing = configError(() => load({ SYNAPSE_API_KEY_FILE: '/nope' }));
    expect(missing.message).toContain('SYNAPSE_API_KEY_FILE');
    expect(missing.message).toContain('ENOENT');
    const empty = configError(() =>
      load({ SYNCHRONEX_API_KEY_FILE: '/empty' }, [], files({ '/empty': ' \n' })),
    );
    expect(empty.message).toContain('SYNCHRONEX_API_KEY_FILE');
  });

  it.each([
    'SYNCGUARD_BASE_URL',
    'SYNAPSE_BASE_URL',
    'SYNQLY_BASE_URL',
    'SYNAP_BASE_URL',
    'SYNCHRONEX_BASE_URL',
  ])('throws a ConfigError naming %s when it is malformed', (name) => {
    for (const bad of [
      'not a url',
      'ftp://example.com',
      'https://x.test/api?x=1',
      'https://x.test/#frag',
      'mailto:a@b',
    ]) {
      const err = configError(() => load({ ...ALL_KEYS, [name]: bad }));
      expect(err.message).toContain(name);
    }
  });

  it('validates a base URL even when the service has no credential', () => {
    expect(configError(() => load({ SYNAP_BASE_URL: 'nope' })).message).toContain('SYNAP_BASE_URL');
  });

  it('maps SYNQLY_REGION eu to https://api-eu.synqly.com and na (the default) to https://api.synqly.com', () => {
    expect(load({ SYNQLY_ORG_TOKEN: 'org_tok_1', SYNQLY_REGION: 'eu' }).services.synqly?.baseUrl).toBe(
      'https://api-eu.synqly.com',
    );
    expect(load({ SYNQLY_ORG_TOKEN: 'org_tok_1', SYNQLY_REGION: 'EU' }).services.synqly?.baseUrl).toBe(
      'https://api-eu.synqly.com',
    );
    expect(load({ SYNQLY_ORG_TOKEN: 'org_tok_1', SYNQLY_REGION: 'na' }).services.synqly?.baseUrl).toBe(
      'https://api.synqly.com',
    );
    expect(load({ SYNQLY_ORG_TOKEN: 'org_tok_1' }).services.synqly?.baseUrl).toBe('https://api.synqly.com');
  });

  it('lets SYNQLY_BASE_URL override the region', () => {
    const c = load({
      SYNQLY_INTEGRATION_TOKEN: 'int_1',
      SYNQLY_REGION: 'eu',
      SYNQLY_BASE_URL: 'http://127.0.0.1:4010',
    });
    expect(c.services.synqly?.baseUrl).toBe('http://127.0.0.1:4010');
  });

  it('throws a ConfigError naming SYNQLY_REGION for an unknown region', () => {
    const err = configError(() => load({ SYNQLY_ORG_TOKEN: 'org_tok_1', SYNQLY_REGION: 'apac' }));
    expect(err.message).toContain('SYNQLY_REGION');
    expect(err.message).toContain('apac');
  });

  it('configures Synqly with either token alone', () => {
    expect(load({ SYNQLY_ORG_TOKEN: 'org_tok_1' }).services.synqly).toEqual({
      baseUrl: 'https://api.synqly.com',
      orgToken: 'org_tok_1',
      integrationToken: undefined,
    });
    expect(load({ SYNQLY_INTEGRATION_TOKEN: 'int_tok_1' }).services.synqly).toEqual({
      baseUrl: 'https://api.synqly.com',
      orgToken: undefined,
      integrationToken: 'int_tok_1',
    });
  });

  it('leaves SYNCGUARD_JWT undefined when it is not set', () => {
    expect(load({ SYNCGUARD_API_KEY: 'sg_key_1' }).services.syncguard?.jwt).toBeUndefined();
  });

  it('leaves a service without credential absent, with exactly one notice line for it', () => {
    const none = load({});
    expect(none.services).toEqual({});
    expect(none.notices).toHaveLength(5);
    for (const [label, env] of [
      ['SyncGuard', 'SYNCGUARD_API_KEY'],
      ['Synapse', 'SYNAPSE_API_KEY'],
      ['Synqly', 'SYNQLY_ORG_TOKEN'],
      ['Synap', 'SYNAP_API_KEY'],
      ['Synchronex', 'SYNCHRONEX_API_KEY'],
    ] as const) {
      const lines = none.notices.filter((n) => n.startsWith(`${label}:`));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(env);
    }
    for (const line of none.notices) expect(line).not.toContain('\n');

    const some = load({ SYNAPSE_API_KEY: 'sk-syn-1', SYNCGUARD_BASE_URL: 'https://other.test/api/v1' });
    expect(Object.keys(some.services)).toEqual(['synapse']);
    expect(some.notices).toHaveLength(4);
    expect(some.notices.some((n) => n.startsWith('Synapse:'))).toBe(false);
    expect(some.notices.some((n) => n.startsWith('SyncGuard:'))).toBe(true);
  });

  it('treats an empty or blank secret as absent', () => {
    const c = load({ SYNAP_API_KEY: '', SYNAPSE_API_KEY: '   ' });
    expect(c.services.synap).toBeUndefined();
    expect(c.services.synapse).toBeUndefined();
  });
});

describe('loadConfig: flags', () => {
  it('defaults: stdio, serve, loopback host, port 3000, nothing selected', () => {
    const c = load();
    expect(c.command).toBe('serve');
    expect(c.transport).toBe('stdio');
    expect(c.http.host).toBe('127.0.0.1');
    expect(c.http.port).toBe(3000);
    expect(c.http.stateless).toBe(false);
    expect(c.http.token).toBeUndefined();
    expect(c.toolsets).toBeUndefined();
    expect(c.tools).toBeUndefined();
    expect(c.readOnly).toBe(false);
    expect(c.sandbox).toBe(false);
  });

  it('reads --http --host --port --stateless', () => {
    const c = load({ SYN_MCP_HTTP_TOKEN: 'http_token_1_9fK2mQ7xV4bN8cR3tY6w' }, [
      '--http',
      '--host',
      '0.0.0.0',
      '--port',
      '8080',
      '--stateless',
    ]);
    expect(c.transport).toBe('http');
    expect(c.http).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      stateless: true,
      token: 'http_token_1_9fK2mQ7xV4bN8cR3tY6w',
    });
    expect(load({}, ['--http', '--port=0']).http.port).toBe(0);
  });

  it('reads --toolsets and --tools as trimmed comma lists', () => {
    const c = load({}, ['--toolsets', 'syncguard, synapse_write,,', '--tools=send_event,list_incidents']);
    expect(c.toolsets).toEqual(['syncguard', 'synapse_write']);
    expect(c.tools).toEqual(['send_event', 'list_incidents']);
    expect(load({}, ['--toolsets', 'all']).toolsets).toEqual(['all']);
    expect(load({}, ['--toolsets', 'default']).toolsets).toEqual(['default']);
  });

  it('reads --read-only and --sandbox', () => {
    const c = load({}, ['--read-only', '--sandbox']);
    expect(c.readOnly).toBe(true);
    expect(c.sandbox).toBe(true);
  });

  it('reads --help and --version (and -h, -v)', () => {
    expect(load({}, ['--help']).command).toBe('help');
    expect(load({}, ['-h']).command).toBe('help');
    expect(load({}, ['--version']).command).toBe('version');
    expect(load({}, ['-v']).command).toBe('version');
  });

  it.each([['--bogus'], ['--http', 'extra'], ['--port'], ['--toolsets'], ['-x']])(
    'refuses %j with a ConfigError',
    (...argv) => {
      const err = configError(() => load({}, argv));
      expect(err.message).toMatch(/--help/);
    },
  );

  it.each(['-1', '65536', 'abc', '80.5'])('refuses --port %s with a ConfigError naming --port', (port) => {
    expect(configError(() => load({}, ['--http', '--port', port])).message).toContain('--port');
  });

  it('refuses a non-loopback --host without SYN_MCP_HTTP_TOKEN', () => {
    for (const host of ['0.0.0.0', '192.168.1.10', 'example.com', '::']) {
      const err = configError(() => load({}, ['--http', '--host', host]));
      expect(err.message).toContain('SYN_MCP_HTTP_TOKEN');
      expect(err.message).toContain(host);
    }
  });

  it('accepts a non-loopback --host with SYN_MCP_HTTP_TOKEN or its _FILE, and loopback hosts without', () => {
    expect(
      load({ SYN_MCP_HTTP_TOKEN: 'tok_123456_aZ9qW3eR7tY1uI5oP8sDfG' }, ['--http', '--host', '0.0.0.0']).http
        .host,
    ).toBe('0.0.0.0');
    expect(
      load(
        { SYN_MCP_HTTP_TOKEN_FILE: '/t' },
        ['--http', '--host', '0.0.0.0'],
        files({ '/t': 'tok_654321_Lk4Jh8Gf2Ds6Aq0Wz3XcVb' }),
      ).http.token,
    ).toBe('tok_654321_Lk4Jh8Gf2Ds6Aq0Wz3XcVb');
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.1.2.3']) {
      expect(load({}, ['--http', '--host', host]).http.host).toBe(host);
    }
  });

  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('127.0.0.1.evil.com')).toBe(false);
  });

  it('reads the allowed origins and hosts lists', () => {
    const c = load({
      SYN_MCP_ALLOWED_ORIGINS: 'https://a.test, https://b.test',
      SYN_MCP_ALLOWED_HOSTS: 'mcp.test',
    });
    expect(c.http.allowedOrigins).toEqual(['https://a.test', 'https://b.test']);
    expect(c.http.allowedHosts).toEqual(['mcp.test']);
  });
});

describe('loadConfig: result', () => {
  it('is deeply frozen', () => {
    const c = load(ALL_KEYS, ['--toolsets', 'a']);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.services)).toBe(true);
    expect(Object.isFrozen(c.services.syncguard)).toBe(true);
    expect(Object.isFrozen(c.http)).toBe(true);
    expect(Object.isFrozen(c.notices)).toBe(true);
    expect(Object.isFrozen(c.toolsets)).toBe(true);
    expect(() => {
      (c as { readOnly: boolean }).readOnly = true;
    }).toThrow(TypeError);
    expect(() => {
      (c.services as { synap?: unknown }).synap = { baseUrl: 'x', apiKey: 'y' };
    }).toThrow(TypeError);
    expect(c.readOnly).toBe(false);
  });

  it('secretsOf lists every configured secret and nothing else', () => {
    const c = load({ ...ALL_KEYS, SYN_MCP_HTTP_TOKEN: 'http_token_1_9fK2mQ7xV4bN8cR3tY6w' });
    expect(new Set(secretsOf(c))).toEqual(
      new Set([
        'sg_key_123456',
        'jwt.value.123456',
        'sk-syn-123456',
        'org_token_123456',
        'int_token_123456',
        'synap_123456',
        'sx_live_123456',
        'http_token_1_9fK2mQ7xV4bN8cR3tY6w',
      ]),
    );
    expect(secretsOf(load({ SYNAP_API_KEY: 'only_one_1' }))).toEqual(['only_one_1']);
    expect(secretsOf(load({}))).toEqual([]);
  });
});

describe('scale-out settings', () => {
  it('reads --rate-limit (and SYN_MCP_RATE_LIMIT), the flag winning', () => {
    expect(load({}, ['--rate-limit', 'synap=20/2s, synchronex=500/1d']).rateLimits).toEqual({
      synap: { limit: 20, windowMs: 2_000 },
      synchronex: { limit: 500, windowMs: 86_400_000 },
    });
    expect(load({ SYN_MCP_RATE_LIMIT: 'syncguard=100/1m:10' }).rateLimits).toEqual({
      syncguard: { limit: 100, windowMs: 60_000, burst: 10 },
    });
    expect(load({ SYN_MCP_RATE_LIMIT: 'synap=1/1s' }, ['--rate-limit', 'synap=2/1s']).rateLimits).toEqual({
      synap: { limit: 2, windowMs: 1_000 },
    });
    expect(load({}).rateLimits).toEqual({});
  });

  it('says what is wrong with a --rate-limit entry', () => {
    expect(configError(() => load({}, ['--rate-limit', 'synapz=1/1s'])).message).toMatch(
      /api one of syncguard, synapse, synqly, synap, synchronex/,
    );
    expect(configError(() => load({}, ['--rate-limit', 'synap=fast'])).message).toMatch(
      /give N requests per window W, e\.g\. synap=60\/1m/,
    );
  });

  it('reads SYN_MCP_REDIS_URL (or _FILE), never echoes it, and redacts its password', () => {
    const url = 'redis://:s3cret-pass@redis.internal:6379/2';
    const c = load({ SYN_MCP_REDIS_URL: url });
    expect(c.redisUrl).toBe(url);
    expect(secretsOf(c)).toEqual(expect.arrayContaining(['s3cret-pass', url]));
    expect(
      load({ SYN_MCP_REDIS_URL_FILE: '/run/redis' }, [], files({ '/run/redis': `${url}\n` })).redisUrl,
    ).toBe(url);
    expect(load({}).redisUrl).toBeUndefined();
    const bad = configError(() => load({ SYN_MCP_REDIS_URL: 'http://:leak-me@host:6379' }));
    expect(bad.message).toMatch(/SYN_MCP_REDIS_URL: not a Redis URL/);
    expect(bad.message).not.toContain('leak-me');
  });
});

describe('confirmation settings', () => {
  const KEY_HEX = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
  const KEY_B64 = Buffer.from(KEY_HEX, 'hex').toString('base64');

  it('confirms destructive calls by default and reads --confirm destructive|writes|off', () => {
    expect(load().confirm).toBe('destructive');
    expect(load({}, ['--confirm', 'writes']).confirm).toBe('writes');
    expect(load({}, ['--confirm', 'off']).confirm).toBe('off');
    expect(load({}, ['--confirm', ' Destructive ']).confirm).toBe('destructive');
    expect(load({}, ['--confirm=OFF']).confirm).toBe('off');
  });

  it('says which --confirm values exist', () => {
    expect(configError(() => load({}, ['--confirm', 'always'])).message).toBe(
      '--confirm: "always" is not one of destructive, writes, off.',
    );
    expect(configError(() => load({}, ['--confirm'])).message).toMatch(/--confirm/);
  });

  it('has no state key unless SYN_MCP_STATE_KEY (or _FILE) is set', () => {
    expect(load().stateKey).toBeUndefined();
    expect(load({ SYN_MCP_STATE_KEY: '  ' }).stateKey).toBeUndefined();
  });

  it('reads SYN_MCP_STATE_KEY as 64 hex digits or 32 bytes of base64, and from its _FILE', () => {
    expect(load({ SYN_MCP_STATE_KEY: KEY_HEX }).stateKey).toBe(KEY_HEX);
    expect(load({ SYN_MCP_STATE_KEY: ` ${KEY_B64}\n` }).stateKey).toBe(KEY_B64);
    expect(
      load(
        { SYN_MCP_STATE_KEY_FILE: '/run/secrets/state' },
        [],
        files({ '/run/secrets/state': `${KEY_B64}\n` }),
      ).stateKey,
    ).toBe(KEY_B64);
  });

  it('refuses a state key of the wrong size or alphabet, naming the variable and never the value', () => {
    for (const bad of [
      'too-short-key-value',
      KEY_HEX.slice(0, 32),
      `${KEY_HEX}00`,
      `${KEY_B64.slice(0, 40)}!!!=`,
    ]) {
      const err = configError(() => load({ SYN_MCP_STATE_KEY: bad }));
      expect(err.message).toMatch(
        /^SYN_MCP_STATE_KEY: not a 32-byte key: give 64 hex digits or 32 bytes in base64/,
      );
      expect(err.message).toMatch(/openssl rand -base64 32/);
      expect(err.message).not.toContain(bad);
    }
    const fromFile = configError(() =>
      load({ SYN_MCP_STATE_KEY_FILE: '/k' }, [], files({ '/k': 'leaked-key-material' })),
    );
    expect(fromFile.message).not.toContain('leaked-key-material');
    expect(configError(() => load({ SYN_MCP_STATE_KEY_FILE: '/missing' })).message).toBe(
      'SYN_MCP_STATE_KEY_FILE: cannot read /missing (ENOENT).',
    );
  });

  it('redacts the state key in every encoding it may be written in', () => {
    const secrets = secretsOf(load({ SYN_MCP_STATE_KEY: KEY_HEX }));
    const bytes = Buffer.from(KEY_HEX, 'hex');
    expect(secrets).toEqual(
      expect.arrayContaining([
        KEY_HEX,
        bytes.toString('base64'),
        bytes.toString('base64').replace(/=+$/, ''),
        bytes.toString('base64url'),
      ]),
    );
    expect(secretsOf(load({ SYN_MCP_STATE_KEY: KEY_B64 }))).toContain(KEY_HEX);
  });

  it('documents --confirm and SYN_MCP_STATE_KEY in --help', () => {
    expect(HELP).toMatch(/--confirm M +destructive \(default\), writes or off/);
    expect(HELP).toMatch(/SYN_MCP_STATE_KEY \(32 bytes, base64 or hex/);
  });
});
