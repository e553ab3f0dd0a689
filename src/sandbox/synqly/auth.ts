/** Synqly's bearer check per surface: organization token → Management, integration token → Connector. */
import type { AccessToken, SynqlyState } from './model.js';
import { forbidden, unauthorized } from './problem.js';

const MANAGEMENT_REMEDIATION =
  'Use an organization token for the Management API (/v1/accounts, /v1/integrations, /v1/tokens, ' +
  '/v1/integration-points).';

const CONNECTOR_REMEDIATION =
  'Use an integration token for the Connector API; create one with POST /v1/tokens/{accountId}/{integrationId}.';

/** Checks the bearer token for a surface; throws the 401/403 Problem Synqly answers. */
export function authenticate(
  state: SynqlyState,
  headers: Record<string, string>,
  surface: 'management' | 'connector',
  now: number,
): AccessToken {
  const remediation = surface === 'management' ? MANAGEMENT_REMEDIATION : CONNECTOR_REMEDIATION;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (!match?.[1]) {
    throw unauthorized('Missing bearer token', remediation, 'Send Authorization: Bearer <token>.');
  }
  const token = state.tokens.get(match[1]);
  if (!token) throw unauthorized('Invalid or revoked token', remediation);
  if (now >= token.expires) {
    throw unauthorized(
      'Token expired',
      surface === 'connector'
        ? 'Create a new integration token with POST /v1/tokens/{accountId}/{integrationId}.'
        : 'Create a new organization token.',
      `The token expired at ${new Date(token.expires).toISOString()}.`,
    );
  }
  if (surface === 'management' && token.kind !== 'organization') {
    throw forbidden(
      'Integration tokens cannot be used with the Management API',
      MANAGEMENT_REMEDIATION,
      'This endpoint needs an organization token; an integration token was sent.',
    );
  }
  if (surface === 'connector' && token.kind !== 'integration') {
    throw forbidden(
      'Organization tokens cannot be used with the Connector API',
      CONNECTOR_REMEDIATION,
      'This endpoint needs an integration token; an organization token was sent.',
    );
  }
  if (token.integrationId !== undefined && !state.integrations.has(token.integrationId)) {
    throw unauthorized('Invalid or revoked token', CONNECTOR_REMEDIATION, 'Its integration was deleted.');
  }
  return token;
}
