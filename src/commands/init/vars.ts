/** The variables `init` writes for each API, from its record in src/apis.ts. */
import { byApi, type ServiceName } from '../../apis.js';

/** One variable `init` puts in a configuration. */
export interface VarSpec {
  name: string;
  /** What to put there, in words (the placeholder text and the VS Code prompt). */
  what: string;
  secret: boolean;
  /** The documented default, written as is for a variable that is not secret. */
  value?: string;
}

/** The variables of each service, as DESIGN.md §6 names them (the optional ones are left out). */
export const SERVICE_VARS: Readonly<Record<ServiceName, readonly VarSpec[]>> = byApi((api): VarSpec[] => [
  ...api.credentials.flatMap((c) => (c.init ? [{ name: c.env, what: c.init, secret: true }] : [])),
  ...(api.selfHosted
    ? [{ name: api.baseUrlEnv, what: `${api.label} base URL`, secret: false, value: api.defaultBaseUrl }]
    : []),
]);
