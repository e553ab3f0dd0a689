import { describe, expect, it } from 'vitest';
import { toToolResult } from '../../src/error-text.js';
import { AuthError, NotFoundError } from '../../src/errors.js';

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
    // syn-mcp's sentences first; the API's message follows inside the untrusted-data fence (src/fence.ts).
    expect(text(toToolResult(notFound(), { listTool: 'list_accounts' }))).toMatch(
      /^Synqly: not found \(HTTP 404\)\. Check the id; list valid ones with `list_accounts`\.\n[\s\S]*\nmessage: Account not found\n/,
    );
    expect(text(toToolResult(notFound(), { listTool: ['list_accounts', 'list_integrations'] }))).toMatch(
      /^Synqly: not found \(HTTP 404\)\. Check the ids; list valid ones with `list_accounts` and `list_integrations`\.\n/,
    );
    expect(text(toToolResult(notFound(), {}))).toMatch(/Check the id and call again\.\n/);
  });

  it('drops the sentences or clauses of an upstream remediation that point at a REST call, keeps the rest', () => {
    const r = toToolResult(notFound('List accounts with GET /v1/accounts. Ids are case-sensitive.'), {
      listTool: 'list_accounts',
    });
    expect(text(r)).toMatch(
      /list valid ones with `list_accounts`\.\n[\s\S]*\nremediation: Ids are case-sensitive\.\n/,
    );
    const auth = new AuthError({
      service: 'synqly',
      status: 403,
      method: 'GET',
      message: 'Wrong token kind',
      credentialEnv: 'SYNQLY_INTEGRATION_TOKEN',
      remediation: 'Use an integration token; create one with POST /v1/tokens/{accountId}/{integrationId}.',
    });
    expect(text(toToolResult(auth))).toMatch(/\nremediation: Use an integration token\.\n/);
    expect(text(toToolResult(notFound('See GET /v1/accounts')))).not.toMatch(/remediation|GET \//);
  });
});
