/**
 * A synthetic search corpus: mixed documents with gaming titles, tags and
 * descriptions drawn from fixed pools by a seeded generator (same corpus
 * every run), and 1–3 word queries with typos and prefixes of those words.
 */
import { emptyDoc, type DocType, type SearchDoc } from "../../services/content/search/search-doc";

const GAMES = [
  "Valorant",
  "Minecraft",
  "League of Legends",
  "Counter-Strike 2",
  "Fortnite",
  "Elden Ring",
  "Super Mario 64",
  "Pokémon Scarlet",
  "Rocket League",
  "Apex Legends",
  "Dota 2",
  "Overwatch 2",
  "Hades",
  "Celeste",
  "Stardew Valley",
  "Zelda Tears of the Kingdom",
  "Street Fighter 6",
  "Tekken 8",
  "Baldur's Gate 3",
  "Cyberpunk 2077",
  "Hollow Knight",
  "Dark Souls",
  "Factorio",
  "Terraria",
  "Chess",
];
const MODIFIERS = [
  "ranked",
  "speedrun",
  "any%",
  "tutorial",
  "guide",
  "highlights",
  "montage",
  "chill",
  "cozy",
  "grind",
  "tips",
  "tricks",
  "build",
  "review",
  "patch notes",
  "tier list",
  "world record",
  "pro",
  "beginner",
  "funny moments",
  "road to",
  "1v1",
  "tournament",
  "finals",
  "qualifiers",
  "challenge",
  "hardcore",
  "no hit",
  "blind playthrough",
  "marathon",
];
const FILLER = [
  "today",
  "we",
  "play",
  "with",
  "friends",
  "and",
  "try",
  "the",
  "new",
  "season",
  "strategy",
  "against",
  "viewers",
  "come",
  "hang",
  "out",
  "late",
  "night",
  "stream",
  "best",
  "moments",
  "from",
  "last",
  "week",
  "learn",
  "how",
  "to",
  "win",
  "every",
  "match",
  "community",
  "event",
  "setup",
  "settings",
  "keyboard",
  "controller",
  "map",
  "route",
  "boss",
  "fight",
];
const SYLLABLES = ["ka", "zu", "mi", "ro", "ten", "shi", "vex", "lor", "an", "dra", "kin", "tos", "yel", "qua", "bri"];
const LANGUAGES = ["en", "en", "en", "fr", "de", "es", "pt", "ja"];

/** Mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

function handle(r: () => number): string {
  let s = "";
  const n = 2 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) s += pick(r, SYLLABLES);
  return r() < 0.4 ? `${s}${Math.floor(r() * 100)}` : s;
}

function sentence(r: () => number, words: number, game: string): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(i === Math.floor(words / 2) ? game : pick(r, FILLER));
  return out.join(" ");
}

/** Type shares of the corpus (out of 100). */
const MIX: [DocType, number][] = [
  ["video", 50],
  ["user", 20],
  ["channel", 15],
  ["post", 10],
  ["stream", 3],
  ["tournament", 2],
];

export function generateCorpus(total: number, seed = 42): SearchDoc[] {
  const r = rng(seed);
  const docs: SearchDoc[] = [];
  const published = Date.parse("2026-01-01T00:00:00Z");
  for (const [type, share] of MIX) {
    const count = Math.round((total * share) / 100);
    for (let i = 0; i < count; i++) {
      const game = pick(r, GAMES);
      const owner = `u${Math.floor(r() * total * 0.2)}`;
      const doc = emptyDoc(type, `${type[0]}${i}`);
      const name = handle(r);
      doc.title =
        type === "user"
          ? `${name[0]?.toUpperCase()}${name.slice(1)}`
          : `${pick(r, MODIFIERS)} ${game} ${pick(r, MODIFIERS)}${r() < 0.3 ? ` with ${name}` : ""}`;
      doc.body = type === "user" || type === "stream" ? "" : sentence(r, 12 + Math.floor(r() * 20), game);
      doc.tags = type === "user" ? [name] : [pick(r, MODIFIERS), pick(r, MODIFIERS)];
      doc.category = type === "user" ? null : game;
      doc.language = pick(r, LANGUAGES);
      doc.ownerId = type === "user" ? doc.sourceId : owner;
      doc.channelId = type === "user" ? null : `c${Math.floor(r() * total * 0.15)}`;
      doc.path = `/${type}/${doc.sourceId}`;
      doc.live = type === "stream" || (type === "channel" && r() < 0.05);
      doc.viewers = doc.live ? Math.floor(r() ** 3 * 20_000) : 0;
      doc.followers = type === "channel" ? Math.floor(r() ** 4 * 500_000) : 0;
      doc.views = type === "video" || type === "post" ? Math.floor(r() ** 4 * 2_000_000) : 0;
      doc.durationS = type === "video" ? 60 + Math.floor(r() * 7200) : null;
      doc.publishedAt = new Date(published + Math.floor(r() * 300 * 86_400_000)).toISOString();
      doc.listed = r() > 0.03;
      docs.push(doc);
    }
  }
  return docs;
}

/** Swaps two neighbouring letters or drops one (a typo a trigram search should survive). */
function typo(r: () => number, word: string): string {
  if (word.length < 5) return word;
  const i = 1 + Math.floor(r() * (word.length - 3));
  return r() < 0.5
    ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2)
    : word.slice(0, i) + word.slice(i + 1);
}

const WORDS = [...GAMES.flatMap((g) => g.toLowerCase().split(/\s+/)), ...MODIFIERS.flatMap((m) => m.split(" "))].filter(
  (w) => /^[a-z]{4,}$/.test(w),
);

/** `count` queries of 1–3 words: a third whole words, a third with a prefix last word, a third with a typo. */
export function generateQueries(count: number, seed = 7): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(r() * 3);
    const words = Array.from({ length: n }, () => pick(r, WORDS));
    const kind = i % 3;
    const last = words.length - 1;
    if (kind === 1)
      words[last] = (words[last] as string).slice(0, Math.max(3, Math.ceil((words[last] as string).length / 2)));
    if (kind === 2) words[last] = typo(r, words[last] as string);
    out.push(words.join(" "));
  }
  return out;
}
