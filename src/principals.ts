/**
 * The principals file (SYN_MCP_PRINCIPALS_FILE, issue 20): who may call the HTTP server, how each one
 * authenticates (the SHA-256 of its bearer token, or an OAuth subject), which tools it gets (`toolsets`,
 * `tools`, `readOnly`: what the CLI flags mean) and its own upstream credentials, given by reference only
 * (`env:NAME` or `file:/path`). This module reads the format and resolves the references; config.ts turns
 * the credentials into services exactly as it does the server's own environment.
 */
import { z } from 'zod';
import { CREDENTIAL_VARS } from './apis.js';
import { ConfigError } from './errors.js';

/** The credential variables a principal may give (the configuration contract's names, DESIGN.md §6). */
export const PRINCIPAL_CREDENTIALS: readonly string[] = CREDENTIAL_VARS;

/** One credential variable name a principal may give. */
export type PrincipalCredential = string;

/** One principal as the file declares it, its credential references resolved to their secrets. */
export interface PrincipalEntry {
  name: string;
  /** Lowercase hex SHA-256 of the principal's bearer token. */
  tokenSha256: string | undefined;
  /** The OAuth `sub` claim that maps to this principal. */
  subject: string | undefined;
  toolsets: readonly string[] | undefined;
  tools: readonly string[] | undefined;
  readOnly: boolean;
  /** Resolved secrets by credential variable name. */
  credentials: Readonly<Partial<Record<PrincipalCredential, string>>>;
}

const REFERENCE = /^(env:[A-Za-z_][A-Za-z0-9_]*|file:\/.+)$/;

/**
 * The principals file's schema, built on first use: only a server started with SYN_MCP_PRINCIPALS_FILE reads
 * one, and building these zod schemas at module load was ~3 ms of every start (stdio included).
 */
function principalsFileSchema() {
  const credentialRef = z.string().refine((v) => REFERENCE.test(v), {
    // The value is never echoed: it may be the very secret the file must not hold.
    message: 'inline secrets are refused: give a reference, env:NAME or file:/absolute/path',
  });
  const credentialsShape = Object.fromEntries(
    PRINCIPAL_CREDENTIALS.map((name) => [name, credentialRef.optional()]),
  ) as Record<PrincipalCredential, z.ZodOptional<typeof credentialRef>>;
  const principalSchema = z
    .strictObject({
      name: z
        .string()
        .regex(/^[A-Za-z0-9._@-]{1,64}$/, 'a name of 1 to 64 letters, digits, ".", "_", "@" or "-"'),
      tokenSha256: z
        .string()
        .regex(/^[0-9a-fA-F]{64}$/, '64 hex digits: the SHA-256 of the bearer token')
        .optional(),
      subject: z.string().min(1).max(255).optional(),
      toolsets: z.array(z.string().min(1)).optional(),
      tools: z.array(z.string().min(1)).optional(),
      readOnly: z.boolean().optional(),
      credentials: z.strictObject(credentialsShape).optional(),
    })
    .refine((p) => p.tokenSha256 !== undefined || p.subject !== undefined, {
      message: 'give tokenSha256 (bearer token) or subject (OAuth), or both',
    });
  return z.strictObject({ principals: z.array(principalSchema).min(1) });
}

let fileSchema: ReturnType<typeof principalsFileSchema> | undefined;

type ReadFile = (path: string) => string;
type Env = Readonly<Record<string, string | undefined>>;

function fail(path: string, message: string): never {
  throw new ConfigError(`SYN_MCP_PRINCIPALS_FILE: ${path}: ${message}`);
}

/** Resolves one `env:NAME` / `file:/path` reference; the error names the principal and variable, never a value. */
function resolve(ref: string, where: string, path: string, env: Env, readFile: ReadFile): string {
  if (ref.startsWith('env:')) {
    const name = ref.slice(4);
    const value = env[name]?.trim();
    if (!value) return fail(path, `${where}: environment variable ${name} is not set or empty.`);
    return value;
  }
  const file = ref.slice(5);
  let text: string;
  try {
    text = readFile(file);
  } catch (err) {
    fail(path, `${where}: cannot read ${file} (${(err as { code?: string }).code ?? 'unreadable'}).`);
  }
  const value = text.trim();
  if (!value) fail(path, `${where}: ${file} is empty.`);
  return value;
}

/**
 * Reads and checks the principals file at `path`: every key known, every credential a reference that
 * resolves, names, token hashes and subjects unique. Throws ConfigError with one line naming the culprit.
 */
export function loadPrincipals(path: string, env: Env, readFile: ReadFile): PrincipalEntry[] {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    fail(path, `cannot read it (${(err as { code?: string }).code ?? 'unreadable'}).`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    fail(path, 'not valid JSON (expected {"principals": [{"name": …, "tokenSha256": …}, …]}).');
  }
  fileSchema ??= principalsFileSchema();
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.map(String).join('.') || '(top level)';
    const message =
      issue?.code === 'unrecognized_keys'
        ? `unknown key(s) ${issue.keys.join(', ')}${at.endsWith('credentials') ? ` (credentials take ${PRINCIPAL_CREDENTIALS.join(', ')})` : ''}`
        : (issue?.message ?? 'invalid');
    fail(path, `${at}: ${message}.`);
  }
  const seen = { name: new Set<string>(), token: new Set<string>(), subject: new Set<string>() };
  return parsed.data.principals.map((p, i) => {
    const where = `principals.${i} (${p.name})`;
    const token = p.tokenSha256?.toLowerCase();
    if (seen.name.has(p.name)) fail(path, `${where}: the name is used twice.`);
    if (token !== undefined && seen.token.has(token)) fail(path, `${where}: tokenSha256 is used twice.`);
    if (p.subject !== undefined && seen.subject.has(p.subject))
      fail(path, `${where}: subject is used twice.`);
    seen.name.add(p.name);
    if (token !== undefined) seen.token.add(token);
    if (p.subject !== undefined) seen.subject.add(p.subject);
    const credentials: Partial<Record<PrincipalCredential, string>> = {};
    for (const name of PRINCIPAL_CREDENTIALS) {
      const ref = p.credentials?.[name];
      if (ref === undefined) continue;
      credentials[name] = resolve(ref, `${where}.credentials.${name}`, path, env, readFile);
    }
    return {
      name: p.name,
      tokenSha256: token,
      subject: p.subject,
      toolsets: p.toolsets,
      tools: p.tools,
      readOnly: p.readOnly ?? false,
      credentials,
    };
  });
}
