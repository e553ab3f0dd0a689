/** An emulator server's lifecycle: listening once on loopback, closing with every connection dropped. */
import type { Server } from 'node:http';
import type { FaultInjector } from './faults.js';
import type { EmulatorServer, RecordedRequest } from './server.js';

/** Starts `server` on 127.0.0.1 with an ephemeral port; resolves to its origin, e.g. `http://127.0.0.1:41234`. */
export function listenOnLoopback(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('server did not bind a TCP port'));
        return;
      }
      resolve(`http://127.0.0.1:${address.port}`);
    });
  });
}

/** Stops `server`, dropping keep-alive and in-flight connections so it closes at once. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/**
 * The handle of an emulator's HTTP server: listens once on loopback, closes it (with the fault timers still
 * pending), and exposes its request log and fault rules.
 */
export function emulatorHandle(
  server: Server,
  parts: { requests: RecordedRequest[]; faults: FaultInjector; timers: Set<NodeJS.Timeout> },
): EmulatorServer {
  const { requests, faults, timers } = parts;
  let origin: string | undefined;
  let listening: Promise<string> | undefined;
  return {
    listen(): Promise<string> {
      listening ??= listenOnLoopback(server).then((value) => {
        origin = value;
        return value;
      });
      return listening;
    },
    async close(): Promise<void> {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await closeServer(server);
      origin = undefined;
      listening = undefined;
    },
    get origin(): string | undefined {
      return origin;
    },
    requests,
    inject: (rule) => faults.inject(rule),
    clearFaults: () => faults.clear(),
  };
}
