import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { Header } from "./components/header";
import { location$, matchRoute, setTitle, type PageProps } from "./router";

type Loaded = { key: string; Page: ComponentType<PageProps> };
const modules = new Map<string, ComponentType<PageProps>>();

/** The shell: header, the matched page (loaded on first visit), and a not-found page. */
export function App() {
  const { pathname, search } = location$.value;
  const match = matchRoute(pathname);
  const [loaded, setLoaded] = useState<Loaded | undefined>(undefined);
  const [failed, setFailed] = useState<string | undefined>(undefined);
  const key = match?.route.pattern ?? "";

  useEffect(() => {
    if (!match) return;
    setTitle(match.route.title);
    const cached = modules.get(key);
    if (cached) {
      setLoaded({ key, Page: cached });
      return;
    }
    let live = true;
    match.route
      .load()
      .then((mod) => {
        modules.set(key, mod.default);
        if (live) setLoaded({ key, Page: mod.default });
      })
      .catch(() => live && setFailed(key));
    return () => {
      live = false;
    };
  }, [key]);

  useEffect(() => {
    // Move focus to the new page's main region so keyboard and screen-reader users land on it.
    document.getElementById("main")?.focus({ preventScroll: true });
  }, [pathname]);

  let body;
  if (!match) body = <NotFound />;
  else if (failed === key)
    body = (
      <div class="empty">
        <h1>Could not load this page</h1>
        <p>Check your connection and try again.</p>
        <button class="btn" onClick={() => location.reload()}>
          Reload
        </button>
      </div>
    );
  else if (loaded?.key === key) body = <loaded.Page params={match.params} query={new URLSearchParams(search)} />;
  else body = <div class="page-loading" aria-busy="true" aria-label="Loading" />;

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        {body}
      </main>
    </>
  );
}

function NotFound() {
  useEffect(() => setTitle("Not found"), []);
  return (
    <div class="empty">
      <h1>Nothing here</h1>
      <p>This page does not exist (any more).</p>
      <a class="btn" href="/">
        Back to the home page
      </a>
    </div>
  );
}
