import {
  formatRefusalReport,
  PublishThrottle,
  RefusalTally,
} from "../../../../services/media/streams/publish-throttle";

describe("PublishThrottle", () => {
  const options = { freeFailures: 3, baseBlockMs: 1000, maxBlockMs: 8000, forgetAfterMs: 60_000, maxAddresses: 3 };

  it("lets the first failures through, then blocks with a doubling backoff up to the cap", () => {
    const t = new PublishThrottle(options);
    let now = 0;
    for (let i = 0; i < 3; i++) expect(t.recordFailure("1.2.3.4", now)).toBe(0);
    expect(t.blockedForMs("1.2.3.4", now)).toBe(0);
    const blocks: number[] = [];
    for (let i = 0; i < 6; i++) {
      blocks.push(t.recordFailure("1.2.3.4", now));
      now += blocks[blocks.length - 1] as number;
    }
    expect(blocks).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(t.blockedForMs("1.2.3.4", now - 1)).toBe(1);
    expect(t.blockedForMs("5.6.7.8", now)).toBe(0);
  });

  it("clears an address on a successful publish, and forgets it after a quiet period", () => {
    const t = new PublishThrottle(options);
    for (let i = 0; i < 4; i++) t.recordFailure("a", 0);
    expect(t.blockedForMs("a", 0)).toBe(1000);
    t.recordSuccess("a");
    expect(t.blockedForMs("a", 0)).toBe(0);
    expect(t.recordFailure("a", 0)).toBe(0);

    for (let i = 0; i < 4; i++) t.recordFailure("b", 0);
    expect(t.recordFailure("b", 60_001 + 8000)).toBe(0);
  });

  it("remembers a bounded number of addresses, dropping the least recently failing", () => {
    const t = new PublishThrottle(options);
    for (const address of ["a", "b", "c", "d"]) for (let i = 0; i < 4; i++) t.recordFailure(address, 0);
    expect(t.size).toBe(3);
    expect(t.blockedForMs("a", 0)).toBe(0);
    expect(t.blockedForMs("d", 0)).toBe(1000);
  });
});

describe("RefusalTally", () => {
  it("reports an interval in one summary, busiest addresses first, and nothing for a quiet interval", () => {
    const tally = new RefusalTally(0, 2);
    for (let i = 0; i < 8; i++) tally.refused("203.0.113.5", "stream key refused");
    for (let i = 0; i < 50; i++) tally.throttled("203.0.113.5");
    tally.refused("198.51.100.1", "this stream key is already publishing");
    tally.refused("192.0.2.9", "stream key refused");
    const report = tally.take(10_000);
    expect(report).toMatchObject({ intervalMs: 10_000, refused: 10, throttled: 50, otherAddresses: 1 });
    expect(report?.addresses[0]).toEqual({
      address: "203.0.113.5",
      refused: 8,
      throttled: 50,
      reasons: { "stream key refused": 8 },
    });
    expect(formatRefusalReport(report!)).toBe(
      "RTMP: 10 publishes refused and 50 connections dropped while blocked in the last 10 s " +
        "(203.0.113.5: 8× stream key refused, 50× dropped while blocked; " +
        "198.51.100.1: 1× this stream key is already publishing; and 1 more addresses)",
    );
    expect(tally.take(20_000)).toBeUndefined();
  });
});
