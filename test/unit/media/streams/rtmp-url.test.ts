import { parseLadder } from "../../../../lib/media/hls-ladder";
import { LocalMediaProvider, advertisedRtmpUrl } from "../../../../services/media/streams/local-media-provider";

describe("advertisedRtmpUrl (the ingest URL shown to broadcasters)", () => {
  it("advertises PUBLIC_URL's host when ingest is bound to every interface", () => {
    expect(advertisedRtmpUrl("0.0.0.0", 1935, "https://arena.example.com")).toBe("rtmp://arena.example.com:1935/live");
    expect(advertisedRtmpUrl("::", 1935, "http://203.0.113.7:3000/")).toBe("rtmp://203.0.113.7:1935/live");
    expect(advertisedRtmpUrl("0.0.0.0", 1935, "http://[2001:db8::1]:3000")).toBe("rtmp://[2001:db8::1]:1935/live");
  });

  it("keeps a specific bind address, and bracket-wraps IPv6", () => {
    expect(advertisedRtmpUrl("127.0.0.1", 19350, "https://arena.example.com")).toBe("rtmp://127.0.0.1:19350/live");
    expect(advertisedRtmpUrl("10.0.0.5", 1935, "https://arena.example.com")).toBe("rtmp://10.0.0.5:1935/live");
    expect(advertisedRtmpUrl("::1", 1935, "https://arena.example.com")).toBe("rtmp://[::1]:1935/live");
  });

  it("falls back to loopback when PUBLIC_URL is unusable", () => {
    expect(advertisedRtmpUrl("0.0.0.0", 1935, "not a url")).toBe("rtmp://127.0.0.1:1935/live");
  });

  it("is what the local provider's ingest endpoint returns", async () => {
    const provider = new LocalMediaProvider({
      mediaRoot: "/nonexistent",
      publicUrl: "https://arena.example.com",
      rtmp: { host: "0.0.0.0", port: 1935 },
      ffmpegPath: "ffmpeg",
      urlSecret: "test-secret-test-secret-test-secret",
      urlTtlS: 600,
      ladder: parseLadder("360p:800"),
      segmentSeconds: 2,
      playlistSize: 10,
      preset: "ultrafast",
      healthIntervalMs: 5000,
      log: { info: () => undefined, warn: () => undefined },
    });
    const endpoint = await provider.ingestEndpoint();
    expect(endpoint.streamName).toBeNull();
    expect(new URL(endpoint.url.replace(/^rtmp:/, "http:")).hostname).toBe("arena.example.com");
  });
});
