import { computed, signal } from "@preact/signals";

/**
 * The nav registry: header links register themselves with who sees them, so
 * a new area (tournaments, blog, notifications…) adds its entry from its own
 * module. `badge` is a signal the header renders next to the label (an
 * unread count, a live dot).
 */
export interface NavEntry {
  id: string;
  label: string;
  href: string;
  /** Lower first. */
  order: number;
  audience: "everyone" | "signed-in" | "signed-out";
  /** Roles any of which may see it (after the audience check). */
  roles?: string[];
  badge?: { value: number | string | null };
}

const entries = signal<NavEntry[]>([]);

export function registerNav(entry: NavEntry): void {
  entries.value = [...entries.value.filter((e) => e.id !== entry.id), entry].sort((a, b) => a.order - b.order);
}

export const navEntries = computed(() => entries.value);
