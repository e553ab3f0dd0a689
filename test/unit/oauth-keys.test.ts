/**
 * The OAuth verifier's key cache and checks with an injected fetch and clock: keys signed here with jose
 * stand in for the issuer's (the end-to-end suite uses a real oidc-provider).
 */
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import type { SynServer } from '../../src/server.js';
import { discoverIssuer, JwksCache, oauthVerifier, resourceMetadataUrl } from '../../src/transports/oauth.js';

const ISSUER = 'https://auth.example.com';
const RESOURCE = 'https://mcp.example.com/mcp';

async function signer(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const sign = (claims: Record<string, unknown>, sub = 'alice') => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { scope: 'mcp', iss: ISSUER, aud: RESOURCE, sub, iat: now, exp: now + 300, ...claims };
    return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' }).sign(privateKey);
  };
  return { jwk, sign };
}

function issuerStub(initial: JWK[]) {
  let keys = initial;
  let up = true;
  let fetches = 0;
  return {
    fetch: async (_url: string) => {
      fetches++;
      if (!up) throw new Error('connect ECONNREFUSED');
      return { keys };
    },
    rotate: (next: JWK[]) => {
      keys = next;
    },
    down: () => {
      up = false;
    },
    get fetches() {
      return fetches;
    },
  };
}

const alice = { name: 'alice', server: {} as SynServer };
const settings = { issuer: ISSUER, resource: RESOURCE, scopes: ['mcp'] };

describe('JwksCache', () => {
  it('an unknown kid refetches once, then not again within the cooldown', async () => {
    const k1 = await signer('k1');
    const k2 = await signer('k2');
    const k3 = await signer('k3');
    const stub = issuerStub([k1.jwk]);
    let now = 1_000_000;
    const cache = new JwksCache('https://auth.example.com/jwks', silentLogger, stub.fetch, () => now);
    await cache.load();
    const verify = oauthVerifier(settings, cache, new Map([['alice', alice]]));
    expect(await verify(await k1.sign({}))).toMatchObject({ ok: true });
    stub.rotate([k1.jwk, k2.jwk]);
    expect(await verify(await k2.sign({}))).toMatchObject({ ok: true });
    expect(stub.fetches).toBe(2);
    stub.rotate([k3.jwk]);
    // Within the cooldown a second unknown kid is refused without a fetch (no refetch storm on junk kids).
    expect(await verify(await k3.sign({}))).toMatchObject({
      ok: false,
      reason: 'invalid token (unknown signing key)',
    });
    expect(stub.fetches).toBe(2);
    now += 31_000;
    expect(await verify(await k3.sign({}))).toMatchObject({ ok: true });
    expect(stub.fetches).toBe(3);
  });

  it('keeps the keys it holds when the issuer is down at refresh time', async () => {
    const k1 = await signer('k1');
    const stub = issuerStub([k1.jwk]);
    let now = 0;
    const cache = new JwksCache('https://auth.example.com/jwks', silentLogger, stub.fetch, () => now);
    await cache.load();
    stub.down();
    now += 11 * 60_000; // past the refresh age
    const verify = oauthVerifier(settings, cache, new Map([['alice', alice]]));
    expect(await verify(await k1.sign({}))).toMatchObject({ ok: true });
    expect(stub.fetches).toBe(2);
  });

  it('refuses at startup when the key set cannot be read', async () => {
    const stub = issuerStub([]);
    stub.down();
    await expect(
      new JwksCache('https://auth.example.com/jwks', silentLogger, stub.fetch).load(),
    ).rejects.toThrow(ConfigError);
  });
});

describe('oauthVerifier', () => {
  it('checks issuer, audience, expiry, scope and subject', async () => {
    const k = await signer('k');
    const cache = new JwksCache('u', silentLogger, async () => ({ keys: [k.jwk] }));
    await cache.load();
    const verify = oauthVerifier(settings, cache, new Map([['alice', alice]]));
    expect(await verify(await k.sign({ iss: 'https://evil.example' }))).toMatchObject({
      ok: false,
      status: 401,
      error: 'invalid_token',
    });
    expect(await verify(await k.sign({ aud: 'https://other.example/mcp' }))).toMatchObject({
      reason: 'invalid token (claim aud check_failed)',
    });
    expect(await verify(await k.sign({ exp: Math.floor(Date.now() / 1000) - 10 }))).toMatchObject({
      reason: 'invalid token (expired)',
    });
    expect(await verify(await k.sign({ nbf: Math.floor(Date.now() / 1000) + 600 }))).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(await verify(await k.sign({ scope: 'read other' }))).toMatchObject({
      status: 403,
      error: 'insufficient_scope',
      scope: 'mcp',
    });
    expect(await verify(await k.sign({ scope: undefined, scp: ['mcp'] }))).toMatchObject({ ok: true });
    expect(await verify(await k.sign({}, 'mallory'))).toMatchObject({
      status: 403,
      reason: 'no principal for this subject',
    });
    expect(await verify('not.a.jwt')).toMatchObject({ ok: false, status: 401 });
  });
});

describe('discovery and metadata location', () => {
  it('reads RFC 8414 metadata, else OpenID configuration; the issuer must match exactly', async () => {
    const seen: string[] = [];
    const meta = await discoverIssuer('https://auth.example.com/tenant', async (url) => {
      seen.push(url);
      if (url.includes('oauth-authorization-server')) throw new Error('HTTP 404');
      return { issuer: 'https://auth.example.com/tenant', jwks_uri: 'https://auth.example.com/tenant/jwks' };
    });
    expect(seen).toEqual([
      'https://auth.example.com/.well-known/oauth-authorization-server/tenant',
      'https://auth.example.com/tenant/.well-known/openid-configuration',
    ]);
    expect(meta.jwksUri).toBe('https://auth.example.com/tenant/jwks');
    await expect(
      discoverIssuer(ISSUER, async () => ({ issuer: 'https://other.example', jwks_uri: 'x' })),
    ).rejects.toThrow(/names issuer "https:\/\/other\.example"/);
  });

  it('puts the resource path after the well-known name (RFC 9728 §3.1)', () => {
    expect(resourceMetadataUrl('https://mcp.example.com/mcp')).toBe(
      'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
    );
    expect(resourceMetadataUrl('https://mcp.example.com/')).toBe(
      'https://mcp.example.com/.well-known/oauth-protected-resource',
    );
  });
});
