import { liveOnEnd, liveOnStart } from "../../../../services/core/channels/live-status";

describe("live status from stream events", () => {
  it("goes live on start and offline only on the end of the same session", () => {
    expect(liveOnStart({ sessionId: "s2", channelId: "c", startedAt: "2026-01-01T00:00:00.000Z" })).toEqual({
      isLive: true,
      liveSessionId: "s2",
      liveSince: new Date("2026-01-01T00:00:00.000Z"),
    });
    expect(liveOnEnd({ liveSessionId: "s2" }, { sessionId: "s1", channelId: "c" })).toBeUndefined();
    expect(liveOnEnd({ liveSessionId: "s2" }, { sessionId: "s2", channelId: "c" })).toEqual({
      isLive: false,
      liveSessionId: null,
      liveSince: null,
    });
    expect(liveOnEnd({ liveSessionId: null }, { sessionId: "s9", channelId: "c" })).toEqual({
      isLive: false,
      liveSessionId: null,
      liveSince: null,
    });
  });
});
