#!/usr/bin/env node
// The bin's entry (scripts/bundle.mjs): answers a first `initialize` over stdio without waiting for the
// server's modules (src/fast-start.ts), then loads and runs the CLI, which takes stdin over from there.
import { fastStart } from './fast-start.js';

// Whatever stops the fast start stops the CLI too, which reports it: start the ordinary way.
await fastStart(process.argv.slice(2), process.env).catch(() => {});
await import('./cli.js');
