/**
 * Per-key lanes on one node: work items with the same lane key run one after
 * another in the order they arrived, items of different keys run in
 * parallel. An ordered handler uses them so that, with many events in
 * flight, two events of one key are not applied concurrently (which would
 * let the older one lose to the newer and be skipped as superseded).
 */
export class KeyLanes {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    // The lane's tail never rejects, so one failure does not fail the items queued behind it.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      // Last in the lane: forget it so the map stays as small as the work in flight.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running (tests, diagnostics). */
  get size(): number {
    return this.tails.size;
  }
}
