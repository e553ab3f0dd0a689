/**
 * The official MCP conformance suite against the built server over `--stateless` HTTP (both revisions) and,
 * for 2025-11-25, over stdio through the loopback bridge (test/conformance/suite.ts). Soak: the default
 * stateful HTTP mode is run by test/conformance/conformance.test.ts in `npm test`.
 */
import { conformanceSuite, plan } from './suite.js';

conformanceSuite([
  plan('2026-07-28', 'stateless'),
  plan('2025-11-25', 'stateless'),
  plan('2025-11-25', 'stdio'),
]);
