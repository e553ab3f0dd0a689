import type { FastStartManifest } from './fast-start.js';

/**
 * What the fast start answers from (src/fast-start.ts). Recorded by scripts/bundle.mjs, which replaces this
 * module in the bin; the unbundled build (dist/src) has none and starts the ordinary way.
 */
export const MANIFEST: FastStartManifest | undefined = undefined;
