import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The soak project, by name: what needs minutes, real time or system packages (redis-server, nginx, a
 * browser). Everything else under test/ is the fast project, so a new file under test/unit, test/tools,
 * test/e2e, test/sandbox or test/commands runs in `npm test` without being listed.
 */
const SOAK = [
  'test/load/**/*.test.ts',
  'test/scaleout/**/*.test.ts',
  'test/apps/views.test.ts',
  'test/conformance/modes.test.ts',
  'test/faults/slow-upstream.test.ts',
  'test/fuzz/in-process.test.ts',
  'test/fuzz/stdio.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...SOAK],
          // Three files at a time, not vitest's default of cores - 1 (one on 2 cores): much of a file's time is
          // spent waiting on a spawned server or an emulator's socket (measured on 2 cores: 94 s with two, 79 s
          // with three).
          maxWorkers: 3,
          // Files in a worker share its module cache: each file no longer re-imports the tools, zod and the SDK
          // (import time over the run 70-77 s → ~20 s; the run 83-91 s → ~60 s on 2 cores). The one
          // process-wide state in src/ that a file's outcome could depend on, the secret registry, is cleared
          // after each file (test/helpers/setup-fast.ts); the rest (a nonce pool, a schema cache) holds no
          // per-file data. Tests stub nothing global (no vi.mock, no env or global writes).
          isolate: false,
          setupFiles: ['test/helpers/setup-fast.ts'],
        },
      },
      // One file at a time: load and scale-out runs would otherwise compete for the cores they measure.
      { extends: true, test: { name: 'soak', include: SOAK, maxWorkers: 1 } },
    ],
  },
});
