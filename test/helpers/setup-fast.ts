/**
 * Set-up of every file of the fast project (vitest.config.ts), whose workers share one module cache across
 * files (`isolate: false`): what a file left in process-wide state is cleared when it ends. That is the secret
 * registry (src/http/redact.ts), which the in-process servers and the redaction tests fill.
 */
import { afterAll } from 'vitest';
import { forgetAllSecrets } from '../../src/http/redact.js';

afterAll(() => {
  forgetAllSecrets();
});
