/**
 * A real OAuth 2.1 authorization server for the tests: `oidc-provider` on loopback, client credentials with
 * RFC 8707 resource indicators, JWT access tokens signed with a fresh ES256 key. Any resource is issued for
 * (checking the audience is the resource server's job); a token requested with scope `mcp short` lives 1 s.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

/** The OAuth clients it knows; each client's id is the `sub` of its tokens. */
export const OAUTH_CLIENTS = ['alice-agent', 'bob-agent', 'mallory-agent'] as const;

/** A running authorization server. */
export interface AuthorizationServer {
  readonly issuer: string;
  /** Client credentials grant: an access token for `client`, for `resource`, with `scope`. */
  tokenFor(client: string, resource: string, scope?: string): Promise<string>;
  /** Replaces the provider by one with a new signing key (same issuer, same clients). */
  rotateKey(): Promise<void>;
  /** Answers every request 503 from now on (the issuer is down). */
  down(): void;
  close(): Promise<void>;
}

const SECRET = randomBytes(24).toString('base64url');

async function provider(issuer: string): Promise<Provider> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = {
    ...(await exportJWK(privateKey)),
    kid: randomBytes(6).toString('hex'),
    alg: 'ES256',
    use: 'sig',
  };
  return new Provider(issuer, {
    clients: OAUTH_CLIENTS.map((client_id) => ({
      client_id,
      client_secret: SECRET,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'ES256',
      scope: 'mcp other',
    })),
    scopes: ['mcp', 'other'],
    jwks: { keys: [jwk] },
    ttl: {
      ClientCredentials: (_ctx: unknown, token: { resourceServer?: { accessTokenTTL?: number } }) =>
        token.resourceServer?.accessTokenTTL ?? 600,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx: { oidc: { params?: { scope?: unknown } } }, indicator: string) => ({
          scope: 'mcp other',
          audience: indicator,
          accessTokenFormat: 'jwt',
          accessTokenTTL: ctx.oidc.params?.scope === 'mcp short' ? 1 : 600,
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
  });
}

/** Starts the authorization server on an ephemeral loopback port. */
export async function startAuthorizationServer(): Promise<AuthorizationServer> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  handler = (await provider(issuer)).callback();
  return {
    issuer,
    async tokenFor(client, resource, scope = 'mcp') {
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: client,
          client_secret: SECRET,
          resource,
          scope,
        }),
      });
      const body = (await res.json()) as {
        access_token?: string;
        error?: string;
        error_description?: string;
      };
      if (!body.access_token) throw new Error(`no token: ${body.error}: ${body.error_description}`);
      return body.access_token;
    },
    async rotateKey() {
      handler = (await provider(issuer)).callback();
    },
    down() {
      handler = (_req, res) => {
        res.statusCode = 503;
        res.end();
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
