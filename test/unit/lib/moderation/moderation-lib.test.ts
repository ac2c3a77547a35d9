import {
  emptyModeration,
  MAX_BLOCKED_TERMS,
  modCommandProblem,
  cleanTermList,
  compileBlockedTerms,
  findBlockedTerm,
  normalizeForMatching,
  cleanChatText,
  isEmoteOnly,
  containsLink,
  findLink,
  parseModCommand,
} from "../../../../lib/moderation";

describe("blocked terms", () => {
  it("normalizes case, accents, leetspeak and separators", () => {
    expect(normalizeForMatching("  ÇÄFÉ--B4D!! ")).toBe("cafe bad");
  });

  it("matches whole words and phrases, not substrings", () => {
    const m = compileBlockedTerms(["bad", "very rude phrase"]);
    expect(m.match("this is BAD")).toBe("bad");
    expect(m.match("badger is fine")).toBeNull();
    expect(m.match("a very   rude-phrase here")).toBe("very rude phrase");
    expect(m.match("very rude")).toBeNull();
  });

  it("supports prefix wildcards and evasions", () => {
    const m = compileBlockedTerms(["spam*"]);
    expect(m.match("sp4mmer here")).toBe("spam*");
    expect(m.match("no sapm")).toBeNull();
    expect(findBlockedTerm("Ｂａｄ", ["bad"])).toBe("bad");
  });

  it("empty lists never match and term lists are cleaned", () => {
    expect(compileBlockedTerms([]).match("anything")).toBeNull();
    expect(cleanTermList([" bad ", "BAD", "", "x".repeat(200), "spam*", "spam"])).toEqual(["bad", "spam*", "spam"]);
  });
});

describe("link filter", () => {
  it("finds schemes, www hosts and bare domains", () => {
    expect(containsLink("go to https://evil.example/x")).toBe(true);
    expect(containsLink("visit www.evil")).toBe(true);
    expect(containsLink("check evil.com now")).toBe(true);
    expect(containsLink("check evil . com now")).toBe(true);
    expect(containsLink("check evil[.]gg now")).toBe(true);
  });

  it("ignores ordinary punctuation and allow-listed hosts", () => {
    expect(containsLink("e.g. version 1.2 is out. nice")).toBe(false);
    expect(containsLink("gg wp")).toBe(false);
    expect(findLink("see https://clips.arena.tv/abc", { allowedHosts: ["arena.tv"] })).toBeNull();
    expect(findLink("see arena.tv", { allowedHosts: ["arena.tv"] })).toBeNull();
  });
});

describe("chat text", () => {
  it("trims and collapses whitespace", () => {
    expect(cleanChatText("  hello \n  world ", 11)).toEqual({ ok: true, text: "hello world" });
  });

  it("rejects empty, too long, control characters and lone surrogates", () => {
    expect(cleanChatText("   ", 10)).toEqual({ ok: false, problem: "EMPTY" });
    expect(cleanChatText("abcdef", 5)).toEqual({ ok: false, problem: "TOO_LONG" });
    expect(cleanChatText("a\u0007b", 10)).toEqual({ ok: false, problem: "INVALID_TEXT" });
    expect(cleanChatText("a\u202eb", 10)).toEqual({ ok: false, problem: "INVALID_TEXT" });
    expect(cleanChatText("a\ud800b", 10)).toEqual({ ok: false, problem: "INVALID_TEXT" });
  });

  it("counts code points so emoji are not charged double", () => {
    expect(cleanChatText("😀😀😀", 3)).toEqual({ ok: true, text: "😀😀😀" });
  });

  it("recognizes emote-only messages", () => {
    expect(isEmoteOnly(":kappa: 😀 :pog:")).toBe(true);
    expect(isEmoteOnly(":kappa: hi")).toBe(false);
  });
});

describe("blocked term cap", () => {
  it("refuses a new term at the cap, but not a term already listed or other commands", () => {
    const state = {
      ...emptyModeration("r"),
      blockedTerms: Array.from({ length: MAX_BLOCKED_TERMS }, (_, i) => `w${i}`),
    };
    expect(modCommandProblem(state, { action: "blockTerm", term: "new" })).toMatch(/at most/);
    expect(modCommandProblem(state, { action: "blockTerm", term: " W3 " })).toBeNull();
    expect(modCommandProblem(state, { action: "unblockTerm", term: "w3" })).toBeNull();
    expect(
      modCommandProblem({ ...state, blockedTerms: state.blockedTerms.slice(1) }, { action: "blockTerm", term: "new" }),
    ).toBeNull();
  });
});

describe("invisible characters do not evade filters", () => {
  it("matches blocked terms split by zero-width space, soft hyphen or word joiner", () => {
    const m = compileBlockedTerms(["bad", "spoiler*"]);
    expect(m.match("so b\u200bad")).toBe("bad");
    expect(m.match("b\u00adad")).toBe("bad");
    expect(m.match("spoi\u2060lers ahead")).toBe("spoiler*");
    expect(m.match("ba d")).toBeNull();
  });

  it("finds links hidden with zero-width characters or a backslash after the host", () => {
    expect(findLink("go to evil\u200b.com")).toBe("evil.com");
    expect(findLink("https://evil.zone\\.arena.example/x", { allowedHosts: ["arena.example"] })).toBe(
      "https://evil.zone",
    );
    expect(findLink("https://clips.arena.example/x", { allowedHosts: ["arena.example"] })).toBeNull();
  });
});

describe("moderation commands: reasons and terms follow the plain-text rule", () => {
  it("strips markup and bidi controls from ban reasons and blocked terms", () => {
    expect(parseModCommand({ action: "ban", userId: "u1", reason: "<b>spam</b>\u202e links" })).toEqual({
      action: "ban",
      userId: "u1",
      reason: "spam links",
    });
    expect(parseModCommand({ action: "blockTerm", term: " Spoiler\u2066 " })).toEqual({
      action: "blockTerm",
      term: "Spoiler",
    });
    expect(parseModCommand({ action: "blockTerm", term: "<svg/onload=alert(1)//" })).toMatch(/term must be/);
  });
});
