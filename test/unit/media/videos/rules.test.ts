import type { AuthUser } from "../../../../lib/auth/auth-user";
import {
  canEditComment,
  placeReply,
  removalKind,
  MAX_COMMENT_DEPTH,
} from "../../../../services/media/videos/comment-rules";
import { checkCommentText, sanitizeCommentText } from "../../../../lib/moderation";
import { canView, listingQuery } from "../../../../services/media/videos/video-rules";
import { countsAgain, viewerKey, viewRecordId } from "../../../../lib/views/view-window";

const user = (id: string, roles: AuthUser["roles"] = ["viewer"]): AuthUser => ({ id, username: id, roles });

describe("video visibility", () => {
  it("lets strangers open only ready public or unlisted videos; the owner and admins see everything", () => {
    const video = { ownerId: "o", visibility: "public" as const, status: "ready" as const };
    expect(canView(undefined, video)).toBe(true);
    expect(canView(undefined, { ...video, visibility: "unlisted" })).toBe(true);
    expect(canView(user("x"), { ...video, visibility: "private" })).toBe(false);
    expect(canView(user("x"), { ...video, status: "processing" })).toBe(false);
    expect(canView(user("o"), { ...video, visibility: "private", status: "failed" })).toBe(true);
    expect(canView(user("a", ["admin"]), { ...video, visibility: "private" })).toBe(true);
  });
  it("never lists unlisted or unfinished videos to strangers", () => {
    expect(listingQuery({ channelId: "c", includeAll: false, visibility: "private" })).toEqual({
      channelId: "c",
      visibility: "public",
      status: "ready",
    });
    expect(listingQuery({ channelId: "c", includeAll: true, visibility: "private" })).toEqual({
      channelId: "c",
      visibility: "private",
    });
  });
});

describe("view window", () => {
  it("keys viewers by user, else by hashed address, else not at all", () => {
    expect(viewerKey({ userId: "u1", clientIp: "1.2.3.4" }, "s")).toBe("u:u1");
    const anon = viewerKey({ clientIp: "1.2.3.4" }, "s");
    expect(anon).toMatch(/^ip:/);
    expect(anon).not.toContain("1.2.3.4");
    expect(viewerKey({ clientIp: "1.2.3.4" }, "other-salt")).not.toBe(anon);
    expect(viewerKey({}, "s")).toBeNull();
    expect(viewRecordId("v", "u:u1")).toBe("v|u:u1");
  });
  it("counts a repeat only after the window", () => {
    const t0 = new Date("2026-01-01T00:00:00Z");
    expect(countsAgain(t0, new Date(t0.getTime() + 59_999), 60_000)).toBe(false);
    expect(countsAgain(t0, new Date(t0.getTime() + 60_000), 60_000)).toBe(true);
  });
});

describe("comment text", () => {
  it("strips markup and scripts but keeps what people typed", () => {
    expect(sanitizeCommentText('<b>gg</b> <script>alert(1)</script><img src=x onerror=alert(1)> 1 < 2 & "ok"')).toBe(
      'gg  1 < 2 & "ok"',
    );
    expect(sanitizeCommentText("a\u0000b\n\n\n\nc")).toBe("ab\n\nc");
    // Entity-encoded markup must not come out of sanitizing as real markup.
    expect(sanitizeCommentText("&lt;script&gt;alert(1)&lt;/script&gt; hi &lt;img src=x onerror=alert(1)&gt;")).toBe(
      "hi",
    );
    expect(sanitizeCommentText("&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt;")).toBe("bold");
    // Clean text comes back unchanged, so sanitizing again on render is harmless.
    for (const text of ['1 < 2 & "ok"', "a <3 b", "x&y", "AT&T <> 5>3"])
      expect(sanitizeCommentText(sanitizeCommentText(text))).toBe(text);
  });
  it("refuses empty, too long and blocked text", () => {
    expect(checkCommentText("<i></i>  ", [])).toEqual({ ok: false, reason: "empty" });
    expect(checkCommentText("x".repeat(2001), [])).toEqual({ ok: false, reason: "too-long" });
    expect(checkCommentText("you are a N00B", ["noob"])).toEqual({ ok: false, reason: "blocked-term", term: "noob" });
    expect(checkCommentText("nice play", ["noob"])).toEqual({ ok: true, text: "nice play" });
  });
});

describe("comment rules", () => {
  it("threads replies up to a maximum depth", () => {
    const top = { id: "c1", rootId: null, depth: 0, parentId: null };
    expect(placeReply(null)).toEqual({ parentId: null, rootId: null, depth: 0 });
    expect(placeReply(top)).toEqual({ parentId: "c1", rootId: "c1", depth: 1 });
    const deepest = { id: "c9", rootId: "c1", depth: MAX_COMMENT_DEPTH, parentId: "c8" };
    expect(placeReply(deepest)).toEqual({ parentId: "c8", rootId: "c1", depth: MAX_COMMENT_DEPTH });
  });
  it("lets authors edit and delete, owners, moderators and admins remove", () => {
    const comment = { authorId: "a", status: "visible" as const };
    const policy = { channelId: "c", ownerId: "o", moderatorIds: ["m"], vipIds: ["v"] };
    expect(canEditComment(user("a"), comment)).toBe(true);
    expect(canEditComment(user("o"), comment)).toBe(false);
    expect(canEditComment(user("a"), { ...comment, status: "deleted" })).toBe(false);
    expect(removalKind(user("a"), comment, policy)).toBe("deleted");
    expect(removalKind(user("o"), comment, policy)).toBe("removed");
    expect(removalKind(user("m"), comment, policy)).toBe("removed");
    expect(removalKind(user("z", ["admin"]), comment, policy)).toBe("removed");
    expect(removalKind(user("z", ["moderator"]), comment, policy)).toBeNull();
    expect(removalKind(user("v"), comment, policy)).toBeNull();
  });
});
