// Preloaded into both benchmarked HTTP servers (NODE_OPTIONS=--expose-gc --require …): on SIGUSR2, two full
// collections, then process.memoryUsage() written as JSON to $BENCH_HEAP_FILE. The bench reads it after the
// RSS figures are taken, to tell live memory (a leak would grow it) from what V8 keeps resident after load.
const { writeFileSync } = require('node:fs');

const file = process.env.BENCH_HEAP_FILE;
if (file && typeof global.gc === 'function') {
  process.on('SIGUSR2', () => {
    global.gc();
    global.gc();
    writeFileSync(file, JSON.stringify(process.memoryUsage()));
  });
}
