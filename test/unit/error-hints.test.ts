import { describe, expect, it } from 'vitest';
import { AuthError, NotFoundError, toToolResult } from '../../src/errors.js';

const text = (r: ReturnType<typeof toToolResult>) => (r.content[0] as { text: string }).text;

describe('error hints name tools, never REST paths', () => {
  const notFound = (remediation?: string) =>
    new NotFoundError({
      service: 'synqly',
      status: 404,
      method: 'GET',
      message: 'Account not found',
      remediation,
    });

  it('a 404 names the one list tool, or every list tool of a call that takes several ids', () => {
    expect(text(toToolResult(notFound(), { listTool: 'list_accounts' }))).toBe(
      'Synqly: not found (HTTP 404): Account not found. Check the id; list valid ones with `list_accounts`.',
    );
    expect(text(toToolResult(notFound(), { listTool: ['list_accounts', 'list_integrations'] }))).toBe(
      'Synqly: not found (HTTP 404): Account not found. Check the ids; list valid ones with `list_accounts` and `list_integrations`.',
    );
    expect(text(toToolResult(notFound(), {}))).toMatch(/Check the id and call again\.$/);
  });

  it('drops the sentences or clauses of an upstream remediation that point at a REST call, keeps the rest', () => {
    const r = toToolResult(notFound('List accounts with GET /v1/accounts. Ids are case-sensitive.'), {
      listTool: 'list_accounts',
    });
    expect(text(r)).toMatch(/list valid ones with `list_accounts`\. Remediation: Ids are case-sensitive\.$/);
    const auth = new AuthError({
      service: 'synqly',
      status: 403,
      method: 'GET',
      message: 'Wrong token kind',
      credentialEnv: 'SYNQLY_INTEGRATION_TOKEN',
      remediation: 'Use an integration token; create one with POST /v1/tokens/{accountId}/{integrationId}.',
    });
    expect(text(toToolResult(auth))).toMatch(/Remediation: Use an integration token\.$/);
    expect(text(toToolResult(notFound('See GET /v1/accounts')))).not.toMatch(/Remediation|GET \//);
  });
});
