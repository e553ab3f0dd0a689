/**
 * The official MCP conformance suite against the built server over Streamable HTTP in its default (stateful)
 * mode, `--requirements 2026-07-28` and `--requirements 2025-11-25` (test/conformance/suite.ts). The same
 * requirements over `--stateless` and over stdio are in test/conformance/modes.test.ts (soak).
 */
import { conformanceSuite, plan } from './suite.js';

conformanceSuite([plan('2026-07-28', 'stateful'), plan('2025-11-25', 'stateful')]);
