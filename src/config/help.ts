/** The usage text of `syn-mcp --help`; its API lines come from the records in src/apis.ts. */
import { APIS, type ApiRecord, regionEnv } from '../apis.js';

/** The help lines of one API's variables: credentials, region, base URL, then the optional credentials. */
function helpVars(api: ApiRecord): string {
  const region = regionEnv(api);
  return [
    ...api.credentials.filter((c) => c.enables).map((c) => c.env),
    ...(region ? [`${region} (${Object.keys(api.regions ?? {}).join('|')})`] : []),
    api.baseUrlEnv,
    ...api.credentials.filter((c) => !c.enables).map((c) => c.env),
  ].join(', ');
}

const LABELS = APIS.map((a) => a.label);

/** The usage text of `syn-mcp --help`. */
export const HELP = `syn-mcp — MCP server for ${LABELS.slice(0, -1).join(', ')} and ${LABELS.at(-1)}

Usage:
  syn-mcp [options]                 serve over stdio (what MCP clients launch)
  syn-mcp tools [--json] [--all-apis] [--toolsets …]
                                    print the catalog with each tool's token count
  syn-mcp init --client claude-desktop|claude-code|cursor|vscode [--services a,b] [--write]
                                    print (or merge into the client's file) the config block
  syn-mcp doctor [--client C] [--json]
                                    check credentials, base URLs and one read per service
  syn-mcp --http [--host H] [--port P] [--stateless]
                                    serve Streamable HTTP at http://H:P/mcp

Options:
  --toolsets a,b     toolsets to enable ('default', 'all', or names such as syncguard, syncguard_admin)
  --tools x,y        enable exactly these tools (added to --toolsets when both are given)
  --read-only        remove every tool that can change anything
  --sandbox          start the embedded API emulators on loopback and use them (no account needed)
  --no-apps          serve no MCP Apps views (ui:// resources for incidents, trends and orchestration runs)
  --http             serve Streamable HTTP instead of stdio
  --host H           HTTP bind address (default 127.0.0.1; non-loopback needs SYN_MCP_HTTP_TOKEN)
  --port P           HTTP port (default 3000)
  --stateless        HTTP without sessions (any replica can answer any request)
  --session-timeout S  close stateful HTTP sessions idle for S seconds (default 1800)
  --log-level L      debug, info, warn or error (default info; logs go to stderr)
  --schema-profile P published input schemas: claude (full JSON Schema), openai or gemini (default auto:
                     the strict openai shape, which every client takes; the client's name does not pick it)
  --max-result-chars N  budget of one result's text (default 20000)
  --confirm M        destructive (default), writes or off: which calls the user confirms through the
                     client first, when it supports form elicitation (others keep their own approval prompt)
  --oauth-issuer URL --resource URL
                     OAuth 2.1 resource server: JWT access tokens from that issuer, for this resource (this
                     server's URL, e.g. https://mcp.example.com/mcp); each token's sub maps to a principal
  --rate-limit api=N/W[:B],…  override an upstream rate limit: N requests per window W (e.g. 30s, 1m, 1d),
                     at most B back to back (e.g. synap=600/1m:50); default: the documented limits
  --help, --version

Environment (each secret also as <NAME>_FILE, read from a file):
${APIS.map((a) => `  ${helpVars(a)}\n`).join('')}  SYN_MCP_HTTP_TOKEN, SYN_MCP_ALLOWED_ORIGINS, SYN_MCP_ALLOWED_HOSTS, SYN_MCP_LOG_LEVEL
  SYN_MCP_PRINCIPALS_FILE (HTTP for teams: each caller's token hash, tools and own upstream credentials)
  SYN_MCP_OAUTH_SCOPES (scopes every OAuth access token must carry; default mcp)
  SYN_MCP_TRUSTED_PROXIES (proxy addresses whose X-Forwarded-For names the client, e.g. 127.0.0.1)
  SYN_MCP_MAX_SESSIONS_PER_PRINCIPAL (default 100), SYN_MCP_MAX_CONNECTIONS (default 512)
  SYN_MCP_HEADERS_TIMEOUT, SYN_MCP_BODY_TIMEOUT (seconds a request's headers, then its body, may take;
                     default 10 and 30)
  SYN_MCP_BYOK_ENV_ALLOWLIST (env var names whose values BYOK tools may register)
  SYN_MCP_AUDIT_LOG (file that receives one JSON line per write tool call)
  SYN_MCP_REDIS_URL (redis://[:password@]host:port[/db]: replicas share rate budgets and minted tokens)
  SYN_MCP_RATE_LIMIT (same as --rate-limit)
  SYN_MCP_STATE_KEY (32 bytes, base64 or hex: seals confirmation state; the same on every replica;
                     a random per-process key when unset; generate with: openssl rand -base64 32)
`;
