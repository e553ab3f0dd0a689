/** The requests being answered, and the drain (SIGTERM) that stops taking new ones and waits for them. */
import type { ServerResponse } from 'node:http';

export class Inflight {
  /** Set by the drain: new requests are answered 503 from then on. */
  draining = false;
  /** MCP requests being answered. */
  count = 0;
  private readonly idleWaiters = new Set<() => void>();

  /** Counts a request until its response closes. */
  track(res: ServerResponse): void {
    this.count++;
    res.once('close', this.done);
  }

  private readonly done = () => {
    this.count--;
    if (this.count === 0) for (const wake of this.idleWaiters) wake();
  };

  /** Resolves once no request is in flight, or `timeoutMs` passed. */
  async idle(timeoutMs: number): Promise<void> {
    if (this.count === 0) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.idleWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      this.idleWaiters.add(done);
    });
  }
}
