import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig, secretsOf, tokenBits } from '../../src/config.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function files(map: Record<string, string>) {
  return (path: string) => {
    const text = map[path];
    if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    return text;
  };
}

describe('principals in the configuration', () => {
  const doc = {
    principals: [
      {
        name: 'alice',
        tokenSha256: sha('alice-token').toUpperCase(),
        toolsets: ['default'],
        credentials: { SYNCGUARD_API_KEY: 'env:ALICE_SG', SYNQLY_ORG_TOKEN: 'file:/run/secrets/alice-org' },
      },
      { name: 'bob', subject: 'auth0|bob', readOnly: true },
    ],
  };
  const env = {
    SYN_MCP_PRINCIPALS_FILE: '/etc/syn/principals.json',
    ALICE_SG: 'sg-alice-key',
    // The server's own credential: never a principal's.
    SYNCGUARD_API_KEY: 'sg-server-key',
    SYNCGUARD_BASE_URL: 'http://127.0.0.1:9/api/v1',
  };
  const read = files({
    '/etc/syn/principals.json': JSON.stringify(doc),
    '/run/secrets/alice-org': 'org-alice\n',
  });

  it('each principal gets only its own credentials, over the server base URLs', () => {
    const config = loadConfig(['--http'], env, read);
    const [alice, bob] = config.principals ?? [];
    expect(alice).toMatchObject({
      name: 'alice',
      tokenSha256: sha('alice-token'),
      readOnly: false,
      toolsets: ['default'],
      services: {
        syncguard: { apiKey: 'sg-alice-key', baseUrl: 'http://127.0.0.1:9/api/v1', jwt: undefined },
        synqly: { orgToken: 'org-alice', integrationToken: undefined },
      },
    });
    expect(alice?.services.synap).toBeUndefined();
    expect(bob).toMatchObject({ name: 'bob', subject: 'auth0|bob', readOnly: true, services: {} });
    // The server's own key still serves the server's own (stdio / single token) services.
    expect(config.services.syncguard?.apiKey).toBe('sg-server-key');
    expect(secretsOf(config)).toEqual(expect.arrayContaining(['sg-alice-key', 'org-alice']));
  });

  it('stdio ignores the file; principals and the single token together are refused', () => {
    expect(loadConfig([], env, read).principals).toBeUndefined();
    expect(() => loadConfig(['--http'], { ...env, SYN_MCP_HTTP_TOKEN: 'x'.repeat(40) }, read)).toThrow(
      /SYN_MCP_PRINCIPALS_FILE and SYN_MCP_HTTP_TOKEN are both set/,
    );
  });

  it('duplicate names and token hashes are refused', () => {
    const twice = {
      principals: [
        { name: 'a', tokenSha256: sha('t') },
        { name: 'b', tokenSha256: sha('t') },
      ],
    };
    expect(() =>
      loadConfig(['--http'], env, files({ '/etc/syn/principals.json': JSON.stringify(twice) })),
    ).toThrow(/principals\.1 \(b\): tokenSha256 is used twice/);
  });
});

describe('bearer token strength on a non-loopback bind', () => {
  const start = (token: string, host = '0.0.0.0') =>
    loadConfig(['--http', '--host', host], { SYN_MCP_HTTP_TOKEN: token }, files({}));

  it('refuses short or low-entropy tokens, with the way to make a good one', () => {
    expect(() => start('a')).toThrow(/too weak for a non-loopback bind.*openssl rand -hex 32/);
    expect(() => start('x'.repeat(31))).toThrow(/too weak/);
    expect(() => start('a'.repeat(64))).toThrow(/too weak/);
    expect(() => start('ab'.repeat(20))).toThrow(/too weak/);
  });

  it('accepts a random token of 32+ characters, and any token on loopback', () => {
    expect(start('3f9c1a7be2d54c08a61e9b7d2f4c8a05').http.token).toHaveLength(32);
    expect(start('kR2v_9XqL-mT4wZ8bN1cY6hJ0pS3dF7g').http.token).toHaveLength(32);
    expect(start('a', '127.0.0.1').http.token).toBe('a');
  });

  it('estimates bits from alphabet and spread', () => {
    expect(tokenBits('0123456789abcdef0123456789abcdef')).toBeGreaterThanOrEqual(128);
    expect(tokenBits('a'.repeat(100))).toBeLessThan(128);
  });
});
