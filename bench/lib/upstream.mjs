// The upstream of the benchmark in a process of its own, as a real API would be: the sandbox's SyncGuard
// emulator (built output) on a loopback port, seeded with a few incidents. Prints one JSON line
// { baseUrl, apiKey } on stdout, then serves until stdin closes or SIGTERM. The emulator's request log is
// emptied every half second so that it does not grow under load.
const { createSyncGuardEmulator } = await import(
  new URL('../../dist/src/sandbox/syncguard/index.js', import.meta.url)
);
const { Agent, request } = await import('undici');

const emulator = createSyncGuardEmulator();
const baseUrl = await emulator.listen();
const seed = new Agent({ connections: 1 });
const kinds = [
  ['token_refresh_failed', '401'],
  ['webhook_timeout', '504'],
  ['rate_limited', '429'],
];
for (let i = 0; i < 12; i++) {
  const [eventType, errorCode] = kinds[i % kinds.length];
  const res = await request(`${baseUrl}/events`, {
    dispatcher: seed,
    method: 'POST',
    headers: { 'x-api-key': emulator.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({
      integrationKey: `service-${i % 6}`,
      eventType,
      tenantId: `tenant-${i}`,
      errorCode,
    }),
  });
  await res.body.dump();
}
await seed.close();
const trim = setInterval(() => {
  emulator.requests.length = 0;
}, 500);

let closing = false;
const stop = async () => {
  if (closing) return;
  closing = true;
  clearInterval(trim);
  await emulator.close();
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.resume();
process.once('SIGTERM', stop);
process.stdout.write(`${JSON.stringify({ baseUrl, apiKey: emulator.apiKey })}\n`);
