import { RoomBatcher } from "../../../../services/edge/realtime/batcher";

describe("RoomBatcher", () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it("sends the first frame of a quiet room at once, then coalesces within the window", () => {
    const out: [string, string][] = [];
    const b = new RoomBatcher((room, payload) => out.push([room, payload]), 20);
    b.push("r1", '{"n":1}');
    expect(out).toEqual([["r1", '{"n":1}']]);
    b.push("r1", '{"n":2}');
    b.push("r1", '{"n":3}');
    // Another quiet room is not held back by r1's window.
    b.push("r2", '{"n":9}');
    expect(out).toEqual([
      ["r1", '{"n":1}'],
      ["r2", '{"n":9}'],
    ]);
    jest.advanceTimersByTime(19);
    expect(out).toHaveLength(2);
    jest.advanceTimersByTime(1);
    expect(out[2]).toEqual(["r1", '[{"n":2},{"n":3}]']);
  });

  it("keeps order within a room across flushes", () => {
    const seen: number[] = [];
    const b = new RoomBatcher((_room, payload) => {
      const parsed = JSON.parse(payload) as { n: number } | { n: number }[];
      for (const f of Array.isArray(parsed) ? parsed : [parsed]) seen.push(f.n);
    }, 10);
    for (let i = 0; i < 50; i++) {
      b.push("r", JSON.stringify({ n: i }));
      jest.advanceTimersByTime(3);
    }
    jest.advanceTimersByTime(20);
    expect(seen).toEqual([...Array(50).keys()]);
  });

  it("publishes each frame alone when the window is 0", () => {
    const out: string[] = [];
    const b = new RoomBatcher((_r, p) => out.push(p), 0);
    b.push("r", "a");
    b.push("r", "b");
    expect(out).toEqual(["a", "b"]);
  });
});
