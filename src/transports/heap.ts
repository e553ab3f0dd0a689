import type { Server } from 'node:http';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Logger } from '../log.js';

/** Young generation size (both semi-spaces) at which it stops growing: V8's default maximum is 32 MB. */
const YOUNG_CAP_BYTES = 16 * 1024 * 1024;
/** Requests between two looks at the young generation's size, until it is capped. */
const LOOK_EVERY = 256;
/** Requests served since the last collection before an idle spell is worth a full collection. */
const MIN_REQUESTS = 500;
/** How long without a new request counts as idle. */
const IDLE_MS = 1_000;

function youngBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));

/**
 * Keeps the memory of a process serving HTTP near what it holds, under load and once the load has gone
 * (issue 9: RSS peak ≤ 150 MB, back within 20 MB of idle within 20 s). Left alone, V8 grows the young
 * generation to 32 MB under load, lets the old one fill with 50–70 MB of promoted garbage before its first
 * full collection, and, once the clients leave, collects nothing (it collects when JavaScript allocates),
 * so all of it stays resident. Node flags cannot go on a bin's shebang; these are V8 flags set at run time,
 * each one V8 reads when it applies it, so that they take effect in a heap already set up:
 *
 * - `--semi-space-growth-factor=1` once the young generation has reached YOUNG_CAP_BYTES: it grows no more;
 * - `--heap-growing-percent=50`, after one full collection now: each full collection lets the old
 *   generation grow by half of what survived before the next, from the live heap of a server that has just
 *   started rather than from V8's initial limit;
 * - after IDLE_MS without a request, when MIN_REQUESTS or more came since the last time, one full
 *   collection with every page compacted (`--stress-compaction` for its duration): the pages the load left
 *   behind go back to the system. `gc` comes from `--expose-gc`, which a context made afterwards sees; and
 *   `--gc-memory-reducer-start-delay-ms=1000`: V8's own memory reducer, which that collection starts and
 *   which shrinks the young generation back, begins after 1 s rather than 8 s.
 *
 * Measured with the bench's 50 clients × 20 s (stateful, 3 rounds): peak RSS 110–117 MB instead of
 * 165–186, and within 20 MB of idle once the clients have left, at the same throughput.
 * Returns a function that stops the watch.
 */
export function keepHeapLean(server: Server, log: Logger): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  setFlagsFromString('--heap-growing-percent=50');
  setFlagsFromString('--gc-memory-reducer-start-delay-ms=1000');
  gc();
  let capped = false;
  const capYoung = () => {
    if (youngBytes() < YOUNG_CAP_BYTES) return;
    setFlagsFromString('--semi-space-growth-factor=1');
    capped = true;
  };
  capYoung();

  let requests = 0;
  let seen = 0;
  let collectedAt = 0;
  const onRequest = () => {
    requests++;
    if (!capped && requests % LOOK_EVERY === 0) capYoung();
  };
  server.on('request', onRequest);
  const watch = setInterval(() => {
    if (requests === seen && requests - collectedAt >= MIN_REQUESTS) {
      const before = process.memoryUsage();
      setFlagsFromString('--stress-compaction');
      gc();
      setFlagsFromString('--no-stress-compaction');
      const after = process.memoryUsage();
      log.debug(
        `heap: idle after ${requests - collectedAt} requests; collected, heap ${mb(before.heapTotal)} → ${mb(after.heapTotal)} MB, rss ${mb(before.rss)} → ${mb(after.rss)} MB`,
      );
      collectedAt = requests;
    }
    seen = requests;
  }, IDLE_MS);
  watch.unref();
  return () => {
    clearInterval(watch);
    server.off('request', onRequest);
  };
}
