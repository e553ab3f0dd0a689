// Completes package-lock.json with the optional platform packages (esbuild, rollup, biome, …) that this
// workplace's registry mirror does not serve for other platforms: npm leaves them out of the lock when it
// cannot read their manifests, and `npm ci` then refuses the lock as out of sync. Each missing entry is
// added as optional with the os/cpu/libc its name states, so npm skips it on every other platform.
// Usage: node scripts/complete-lock.mjs  (after any `npm install` that changed the lock)
import { readFileSync, writeFileSync } from 'node:fs';

const OS = [
  'aix',
  'android',
  'darwin',
  'freebsd',
  'linux',
  'netbsd',
  'openbsd',
  'openharmony',
  'sunos',
  'win32',
  'cygwin',
];
const CPU = ['arm64', 'arm', 'x64', 'ia32', 'ppc64', 'riscv64', 's390x', 'loong64', 'mips64el', 'wasm32'];

function platformOf(name) {
  const base = name.split('/').pop() ?? name;
  const parts = base.split('-');
  const os = OS.find((o) => parts.includes(o) || (o === 'win32' && parts.includes('windows')));
  let cpu = CPU.find((c) => parts.includes(c));
  if (!cpu && parts.includes('loongarch64')) cpu = 'loong64';
  if (!cpu && (parts.includes('ppc64le') || parts.includes('powerpc64le'))) cpu = 'ppc64';
  if (!cpu && parts.includes('riscv64')) cpu = 'riscv64';
  if (!cpu && parts.includes('s390x')) cpu = 's390x';
  const libc = parts.includes('musl')
    ? 'musl'
    : parts.includes('gnu') || parts.includes('gnueabihf')
      ? 'glibc'
      : undefined;
  return { os, cpu, libc };
}

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const pkgs = lock.packages;
let added = 0;
for (const [key, entry] of Object.entries(pkgs)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const where = `${key ? `${key}/` : ''}node_modules/${dep}`;
    const top = `node_modules/${dep}`;
    if (pkgs[where] || pkgs[top]) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (!os && !cpu) continue; // not a platform package: leave it to npm
    const add = { version, optional: true };
    if (entry.dev) add.dev = true;
    if (cpu) add.cpu = [cpu];
    if (os) add.os = [os];
    if (libc) add.libc = [libc];
    pkgs[top] = add;
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`complete-lock: added ${added} optional platform entries\n`);
