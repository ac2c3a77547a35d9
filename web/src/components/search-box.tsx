import { useEffect, useRef, useState } from "preact/hooks";
import type { SearchHit } from "../api/schemas";
import { api } from "../api/http";
import { formatCount } from "../lib/format";
import { hitHref, typeLabel } from "../lib/search-hits";
import { location$, navigate } from "../router";
import { Highlighted } from "./highlighted";

/** Waiting this long after the last keystroke before asking: fast typists send one request, not five. */
const SUGGEST_DELAY_MS = 120;
const LIST_ID = "search-suggestions";

type Option = { kind: "query"; text: string } | { kind: "hit"; hit: SearchHit };

/**
 * The header's search box: an ARIA 1.2 combobox whose list comes from
 * `GET /search/suggest` (completions of the last word, then matching
 * channels, streams, videos, people…). Arrow keys move through it, Enter
 * opens the active option or searches what was typed, Escape closes it.
 */
export function SearchBox() {
  const { pathname, search } = location$.value;
  const urlQuery = pathname === "/search" ? (new URLSearchParams(search).get("q") ?? "") : "";
  const [text, setText] = useState(urlQuery);
  const [options, setOptions] = useState<Option[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const typed = useRef(false);

  // Navigating (back/forward, a results link) shows that page's query.
  useEffect(() => {
    typed.current = false;
    setText(urlQuery);
    setOpen(false);
  }, [pathname, urlQuery]);

  useEffect(() => {
    const q = text.trim();
    if (!typed.current || q.length === 0) {
      setOptions([]);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      api("get /api/v1/search/suggest", { query: { q, limit: 6 }, signal: ctl.signal })
        .then((res) => {
          // The search was submitted (or the page changed) while this was in flight.
          if (!typed.current) return;
          // Completions are whole queries (earlier words kept, folded: lower case, no accents).
          const completions = res.completions
            .filter((c) => c !== q.toLowerCase())
            .slice(0, 3)
            .map((c): Option => ({ kind: "query", text: c }));
          setOptions([...completions, ...res.items.map((hit): Option => ({ kind: "hit", hit }))]);
          setActive(-1);
          setOpen(true);
        })
        .catch(() => undefined); // Autocomplete is a nicety: a failed keystroke leaves the last list.
    }, SUGGEST_DELAY_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [text]);

  const submit = (q: string) => {
    typed.current = false;
    setOpen(false);
    const trimmed = q.trim();
    navigate(trimmed ? `/search?q=${encodeURIComponent(trimmed)}` : "/search", { replace: pathname === "/search" });
  };

  const choose = (option: Option) => {
    setOpen(false);
    if (option.kind === "query") {
      setText(option.text);
      submit(option.text);
    } else navigate(hitHref(option.hit));
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const shown = open && options.length > 0;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      if (!shown) setOpen(options.length > 0);
      else setActive((a) => (a + 1) % options.length);
    } else if (e.key === "ArrowUp" && shown) {
      e.preventDefault();
      setActive((a) => (a <= 0 ? options.length - 1 : a - 1));
    } else if (e.key === "Escape" && shown) {
      e.preventDefault();
      setOpen(false);
      setActive(-1);
    } else if (e.key === "Enter" && shown && active >= 0) {
      e.preventDefault();
      const option = options[active];
      if (option) choose(option);
    }
  };

  const shown = open && options.length > 0;
  return (
    <form
      class="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        submit(text);
      }}
    >
      <label class="sr-only" for="site-search">
        Search channels, videos, people, tournaments and posts
      </label>
      <input
        id="site-search"
        name="q"
        type="search"
        role="combobox"
        placeholder="Search channels, games, videos"
        autoComplete="off"
        spellcheck={false}
        maxLength={200}
        aria-autocomplete="list"
        aria-expanded={shown}
        aria-controls={LIST_ID}
        aria-activedescendant={shown && active >= 0 ? `${LIST_ID}-${active}` : undefined}
        value={text}
        onInput={(e) => {
          typed.current = true;
          setText((e.currentTarget as HTMLInputElement).value);
        }}
        onKeyDown={onKeyDown}
        onFocus={() => options.length > 0 && setOpen(true)}
        onBlur={() => setOpen(false)}
      />
      <ul id={LIST_ID} role="listbox" aria-label="Suggestions" class="suggestions" hidden={!shown}>
        {options.map((option, i) => (
          <li
            key={option.kind === "query" ? `q:${option.text}` : `${option.hit.type}:${option.hit.id}`}
            id={`${LIST_ID}-${i}`}
            role="option"
            aria-selected={i === active}
            class={i === active ? "active" : ""}
            data-testid="suggestion"
            // mousedown, not click: the input keeps focus until the choice is made.
            onMouseDown={(e) => {
              e.preventDefault();
              choose(option);
            }}
          >
            {option.kind === "query" ? (
              <span class="suggest-query">
                <span aria-hidden="true">⌕ </span>
                {option.text}
              </span>
            ) : (
              <SuggestedHit hit={option.hit} />
            )}
          </li>
        ))}
      </ul>
    </form>
  );
}

function SuggestedHit({ hit }: { hit: SearchHit }) {
  return (
    <span class="suggest-hit">
      <span class="suggest-title">
        <Highlighted text={hit.title} matches={hit.highlights.title} />
      </span>
      <span class="suggest-meta">
        {typeLabel(hit.type)}
        {hit.live ? ` · live, ${formatCount(hit.viewers)} watching` : hit.category ? ` · ${hit.category}` : ""}
      </span>
    </span>
  );
}
