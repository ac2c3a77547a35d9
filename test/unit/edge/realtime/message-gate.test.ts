import {
  applyModCommand,
  authorizeModCommand,
  emptyModeration,
  roomRole,
  type RoomModerationState,
} from "../../../../lib/moderation";
import {
  checkMessage,
  compileRoomTerms,
  type GateRoom,
  type GateSender,
} from "../../../../services/edge/realtime/message-gate";
import { SenderHistory } from "../../../../services/edge/realtime/rate-limit";

const options = { maxMessageChars: 500, allowedLinkHosts: ["arena.tv"] };
const T0 = 1_700_000_000_000;

function room(mutate?: (s: RoomModerationState) => RoomModerationState): GateRoom {
  const moderation = mutate ? mutate(emptyModeration("c1")) : emptyModeration("c1");
  return { moderation, blockedTerms: compileRoomTerms(moderation), senders: new SenderHistory() };
}
const viewer: GateSender = { userId: "u1", role: "viewer", followedAt: null };
const mod: GateSender = { userId: "m1", role: "moderator", followedAt: null };

describe("checkMessage", () => {
  it("accepts and cleans ordinary text; refuses anonymous senders", () => {
    expect(checkMessage(room(), viewer, "  hi  there ", options, T0)).toEqual({ ok: true, text: "hi there" });
    expect(checkMessage(room(), { ...viewer, role: "anonymous" }, "hi", options, T0)).toMatchObject({
      ok: false,
      code: "UNAUTHENTICATED",
    });
  });

  it("limits viewers to 20 per 30 s and moderators to 100, with retry time", () => {
    const r = room();
    for (let i = 0; i < 20; i++) expect(checkMessage(r, viewer, `m${i}`, options, T0 + i)).toMatchObject({ ok: true });
    const refused = checkMessage(r, viewer, "one more", options, T0 + 100);
    expect(refused).toMatchObject({ ok: false, code: "RATE_LIMITED" });
    expect(refused.ok === false && refused.retryAfterMs).toBe(30000 - 100);
    expect(checkMessage(r, viewer, "later", options, T0 + 30001)).toMatchObject({ ok: true });
    for (let i = 0; i < 100; i++) expect(checkMessage(r, mod, `m${i}`, options, T0 + i)).toMatchObject({ ok: true });
    expect(checkMessage(r, mod, "too many", options, T0 + 200)).toMatchObject({ ok: false, code: "RATE_LIMITED" });
  });

  it("suppresses duplicates and enforces slow mode for viewers only", () => {
    const r = room((s) => applyModCommand(s, { action: "slow", seconds: 5 }, "owner", T0).state);
    expect(checkMessage(r, viewer, "hello", options, T0)).toMatchObject({ ok: true });
    expect(checkMessage(r, viewer, "again", options, T0 + 1000)).toMatchObject({
      ok: false,
      code: "SLOW_MODE",
      retryAfterMs: 4000,
    });
    expect(checkMessage(r, viewer, "HELLO", options, T0 + 6000)).toMatchObject({ ok: false, code: "DUPLICATE" });
    expect(checkMessage(r, viewer, "hel\u200blo\u2060", options, T0 + 6000)).toMatchObject({
      ok: false,
      code: "DUPLICATE",
    });
    expect(checkMessage(r, viewer, "new", options, T0 + 6000)).toMatchObject({ ok: true });
    expect(checkMessage(r, mod, "a", options, T0)).toMatchObject({ ok: true });
    expect(checkMessage(r, mod, "a", options, T0 + 1)).toMatchObject({ ok: true });
  });

  it("enforces bans and timeouts until they expire", () => {
    const banned = room((s) => applyModCommand(s, { action: "ban", userId: "u1" }, "m1", T0).state);
    expect(checkMessage(banned, viewer, "hi", options, T0 + 1)).toMatchObject({ ok: false, code: "BANNED" });
    const timed = room((s) => applyModCommand(s, { action: "timeout", userId: "u1", durationS: 10 }, "m1", T0).state);
    expect(checkMessage(timed, viewer, "hi", options, T0 + 1000)).toMatchObject({
      ok: false,
      code: "TIMED_OUT",
      retryAfterMs: 9000,
    });
    expect(checkMessage(timed, viewer, "hi", options, T0 + 10001)).toMatchObject({ ok: true });
  });

  it("applies followers-only with a minimum follow age", () => {
    const r = room(
      (s) => applyModCommand(s, { action: "followersOnly", enabled: true, minFollowAgeS: 600 }, "o", T0).state,
    );
    expect(checkMessage(r, viewer, "hi", options, T0)).toMatchObject({ ok: false, code: "FOLLOWERS_ONLY" });
    expect(checkMessage(r, { ...viewer, followedAt: T0 - 60_000 }, "hi", options, T0)).toMatchObject({
      ok: false,
      code: "FOLLOWERS_ONLY",
      retryAfterMs: 540_000,
    });
    expect(checkMessage(r, { ...viewer, followedAt: T0 - 700_000 }, "hi", options, T0)).toMatchObject({ ok: true });
    expect(checkMessage(r, { ...viewer, userId: "v1", role: "vip" }, "hi", options, T0)).toMatchObject({ ok: true });
  });

  it("applies emote-only, blocked terms and link filtering", () => {
    const r = room((s) => {
      let st = applyModCommand(s, { action: "emoteOnly", enabled: true }, "o", T0).state;
      st = applyModCommand(st, { action: "blockTerm", term: "badword" }, "o", T0).state;
      return applyModCommand(st, { action: "links", allowed: false }, "o", T0).state;
    });
    expect(checkMessage(r, viewer, "words", options, T0)).toMatchObject({ ok: false, code: "EMOTE_ONLY" });
    expect(checkMessage(r, viewer, ":kappa:", options, T0)).toMatchObject({ ok: true });
    expect(checkMessage(r, mod, "that B4DWORD", options, T0)).toMatchObject({ ok: false, code: "BLOCKED_TERM" });
    expect(checkMessage(r, { ...viewer, userId: "u2", role: "broadcaster" }, "badword", options, T0)).toMatchObject({
      ok: true,
    });
    const links = room((s) => applyModCommand(s, { action: "links", allowed: false }, "o", T0).state);
    expect(checkMessage(links, viewer, "go to evil.com", options, T0)).toMatchObject({
      ok: false,
      code: "LINKS_NOT_ALLOWED",
    });
    expect(checkMessage(links, { ...viewer, userId: "u3" }, "see arena.tv/x", options, T0)).toMatchObject({ ok: true });
  });

  it("unique chat refuses a text anyone sent in the room within 30 s (case and invisible characters aside)", () => {
    const r = room((s) => applyModCommand(s, { action: "uniqueChat", enabled: true }, "o", T0).state);
    const other = { ...viewer, userId: "v9" };
    expect(checkMessage(r, viewer, "GG", options, T0)).toMatchObject({ ok: true });
    expect(checkMessage(r, other, "g\u200Bg", options, T0 + 1000)).toMatchObject({
      ok: false,
      code: "UNIQUE_CHAT",
      retryAfterMs: 29000,
    });
    expect(checkMessage(r, other, "gg wp", options, T0 + 1000)).toMatchObject({ ok: true });
    // Moderators are exempt, but what they send counts.
    expect(checkMessage(r, mod, "gg", options, T0 + 2000)).toMatchObject({ ok: true });
    expect(checkMessage(r, other, "gg", options, T0 + 31_000)).toMatchObject({ ok: false, code: "UNIQUE_CHAT" });
    expect(checkMessage(r, other, "gg", options, T0 + 32_001)).toMatchObject({ ok: true });
    // Texts another node accepted (recorded from the room's subject) count the same.
    r.senders.record("remote-user", "from node b", T0 + 40_000);
    expect(checkMessage(r, other, "From node B", options, T0 + 41_000)).toMatchObject({
      ok: false,
      code: "UNIQUE_CHAT",
    });
    // Off: only the sender's own duplicate rule remains.
    const off = room();
    expect(checkMessage(off, viewer, "same", options, T0)).toMatchObject({ ok: true });
    expect(checkMessage(off, other, "same", options, T0 + 1)).toMatchObject({ ok: true });
    // The room's memory of texts is swept with the senders.
    r.senders.sweep(T0 + 200_000);
    expect(r.senders.roomRepeatWaitMs("from node b", T0 + 200_000)).toBe(0);
  });

  it("rejects too long and invalid text with distinct codes", () => {
    expect(checkMessage(room(), viewer, "x".repeat(501), options, T0)).toMatchObject({
      ok: false,
      code: "MESSAGE_TOO_LONG",
    });
    expect(checkMessage(room(), viewer, "a\u0000b", options, T0)).toMatchObject({ ok: false, code: "INVALID_TEXT" });
    expect(checkMessage(room(), viewer, "   ", options, T0)).toMatchObject({ ok: false, code: "EMPTY_MESSAGE" });
  });
});

describe("checkMessage: what a refused chatter is told", () => {
  const verdict = (r: GateRoom, sender: GateSender, text: string, at = T0) => {
    const v = checkMessage(r, sender, text, options, at);
    return v.ok ? { ok: true } : { code: v.code, message: v.message };
  };
  const withCommand = (command: Parameters<typeof applyModCommand>[1]) =>
    room((s) => applyModCommand(s, command, "o", T0).state);

  it("names each refusal in words (the client shows the message as sent)", () => {
    expect(verdict(room(), { ...viewer, role: "anonymous" }, "hi")).toEqual({
      code: "UNAUTHENTICATED",
      message: "Log in to chat",
    });
    expect(verdict(withCommand({ action: "ban", userId: "u1" }), viewer, "hi")).toEqual({
      code: "BANNED",
      message: "You are banned from this chat",
    });
    expect(verdict(withCommand({ action: "timeout", userId: "u1", durationS: 10 }), viewer, "hi")).toEqual({
      code: "TIMED_OUT",
      message: "You are timed out",
    });
    const followers = withCommand({ action: "followersOnly", enabled: true, minFollowAgeS: 600 });
    expect(verdict(followers, viewer, "hi")).toEqual({
      code: "FOLLOWERS_ONLY",
      message: "Chat is in followers-only mode",
    });
    expect(verdict(followers, { ...viewer, followedAt: T0 - 1000 }, "hi")).toEqual({
      code: "FOLLOWERS_ONLY",
      message: "You have not followed long enough to chat",
    });
    expect(verdict(room(), viewer, "   ")).toEqual({ code: "EMPTY_MESSAGE", message: "Message rejected: empty" });
    expect(verdict(room(), viewer, "x".repeat(501))).toEqual({
      code: "MESSAGE_TOO_LONG",
      message: "Message rejected: too_long",
    });
    expect(verdict(withCommand({ action: "emoteOnly", enabled: true }), viewer, "words")).toEqual({
      code: "EMOTE_ONLY",
      message: "Chat is in emote-only mode",
    });
    expect(verdict(withCommand({ action: "blockTerm", term: "badword" }), viewer, "badword")).toEqual({
      code: "BLOCKED_TERM",
      message: "Message contains a blocked term",
    });
    expect(verdict(withCommand({ action: "links", allowed: false }), viewer, "go to evil.com")).toEqual({
      code: "LINKS_NOT_ALLOWED",
      message: "Links are not allowed in this chat",
    });
    const unique = withCommand({ action: "uniqueChat", enabled: true });
    checkMessage(unique, mod, "gg", options, T0);
    expect(verdict(unique, viewer, "gg", T0 + 1)).toEqual({
      code: "UNIQUE_CHAT",
      message: "Unique chat: this message was just sent in the room",
    });
    const slow = withCommand({ action: "slow", seconds: 5 });
    checkMessage(slow, viewer, "first", options, T0);
    expect(verdict(slow, viewer, "second", T0 + 1)).toEqual({ code: "SLOW_MODE", message: "Slow mode is on" });
    const plain = room();
    checkMessage(plain, viewer, "same", options, T0);
    expect(verdict(plain, viewer, "same", T0 + 1)).toEqual({ code: "DUPLICATE", message: "Duplicate message" });
    const busy = room();
    for (let i = 0; i < 20; i++) checkMessage(busy, viewer, `m${i}`, options, T0 + i);
    expect(verdict(busy, viewer, "one more", T0 + 100)).toEqual({
      code: "RATE_LIMITED",
      message: "You are sending messages too quickly",
    });
  });

  it("lets a follower chat the moment the minimum follow age is reached", () => {
    const followers = withCommand({ action: "followersOnly", enabled: true, minFollowAgeS: 600 });
    expect(verdict(followers, { ...viewer, followedAt: T0 - 600_000 }, "hi")).toEqual({ ok: true });
    expect(verdict(followers, { ...viewer, followedAt: T0 - 599_999 }, "hi")).toMatchObject({ code: "FOLLOWERS_ONLY" });
  });

  it("filters links only when the room turned them off, and never for moderators", () => {
    expect(verdict(room(), viewer, "go to evil.com")).toEqual({ ok: true });
    const noLinks = withCommand({ action: "links", allowed: false });
    expect(verdict(noLinks, mod, "go to evil.com")).toEqual({ ok: true });
    expect(verdict(noLinks, viewer, "go to evil.com")).toMatchObject({ code: "LINKS_NOT_ALLOWED" });
  });
});

describe("moderation authority", () => {
  const policy = { channelId: "c1", ownerId: "owner", moderatorIds: ["m1", "m2"], vipIds: ["v1"] };
  it("resolves room roles", () => {
    expect(roomRole(null, policy)).toBe("anonymous");
    expect(roomRole({ id: "owner", roles: ["creator"] }, policy)).toBe("broadcaster");
    expect(roomRole({ id: "m1", roles: ["viewer"] }, policy)).toBe("moderator");
    expect(roomRole({ id: "v1", roles: ["viewer"] }, policy)).toBe("vip");
    expect(roomRole({ id: "x", roles: ["admin"] }, policy)).toBe("admin");
    expect(roomRole({ id: "x", roles: ["viewer"] }, policy)).toBe("viewer");
  });

  it("never lets anyone ban the broadcaster, nor moderators ban moderators", () => {
    const ban = { action: "ban" as const, userId: "owner" };
    expect(authorizeModCommand("moderator", ban, "broadcaster")).toMatchObject({ ok: false });
    expect(authorizeModCommand("admin", ban, "broadcaster")).toMatchObject({ ok: false });
    expect(authorizeModCommand("moderator", { action: "ban", userId: "m2" }, "moderator")).toMatchObject({ ok: false });
    expect(authorizeModCommand("broadcaster", { action: "ban", userId: "m2" }, "moderator")).toEqual({ ok: true });
    expect(authorizeModCommand("viewer", { action: "slow", seconds: 3 }, null)).toMatchObject({ ok: false });
    expect(authorizeModCommand("moderator", { action: "timeout", userId: "u", durationS: 5 }, "viewer")).toEqual({
      ok: true,
    });
  });

  it("unblocks terms and unbans users", () => {
    let s = applyModCommand(emptyModeration("c"), { action: "blockTerm", term: "Foo" }, "o", T0).state;
    s = applyModCommand(s, { action: "ban", userId: "u" }, "o", T0).state;
    expect(s.blockedTerms).toEqual(["Foo"]);
    s = applyModCommand(s, { action: "unblockTerm", term: "foo" }, "o", T0).state;
    s = applyModCommand(s, { action: "unban", userId: "u" }, "o", T0).state;
    expect(s.blockedTerms).toEqual([]);
    expect(s.bans).toEqual({});
    expect(s.version).toBe(4);
  });
});
