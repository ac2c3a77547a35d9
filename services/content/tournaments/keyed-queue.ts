/**
 * Runs tasks one at a time per key, in arrival order, within this process.
 *
 * Decisions on one tournament are serialized by its row lock anyway; queueing
 * them here first means a burst of reports waits in memory instead of each
 * holding a pooled database connection while blocked on the lock, which would
 * starve every other request of the service (pool of 10, 50 reporters). The
 * row lock still serializes across nodes.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
