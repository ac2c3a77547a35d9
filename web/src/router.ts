import { signal } from "@preact/signals";
import type { ComponentType } from "preact";

/**
 * The route registry: each page registers a pattern and a lazy loader, so a
 * service's page (tournaments, blog, search…) is one `registerRoute` call in
 * its own module, imported from routes.ts. Matching is first-registered-wins
 * on `/segments/:params`; `*` matches the rest.
 */
export interface RouteParams {
  [name: string]: string;
}

export interface PageProps {
  params: RouteParams;
  query: URLSearchParams;
}

export interface RouteDefinition {
  pattern: string;
  /** Loaded on first visit: keeps the home page's bundle small. */
  load: () => Promise<{ default: ComponentType<PageProps> }>;
  /** Document title; a page may refine it with setTitle. */
  title: string;
}

interface CompiledRoute extends RouteDefinition {
  regex: RegExp;
  names: string[];
}

const routes: CompiledRoute[] = [];

export function registerRoute(route: RouteDefinition): void {
  const names: string[] = [];
  const source = route.pattern
    .split("/")
    .map((part) => {
      if (part === "*") {
        names.push("rest");
        return "(.*)";
      }
      if (part.startsWith(":")) {
        names.push(part.slice(1));
        return "([^/]+)";
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  routes.push({ ...route, regex: new RegExp(`^${source}/?$`), names });
}

export interface Match {
  route: CompiledRoute;
  params: RouteParams;
}

export function matchRoute(pathname: string): Match | undefined {
  for (const route of routes) {
    const m = route.regex.exec(pathname);
    if (!m) continue;
    const params: RouteParams = {};
    route.names.forEach((name, i) => {
      try {
        params[name] = decodeURIComponent(m[i + 1] ?? "");
      } catch {
        params[name] = m[i + 1] ?? "";
      }
    });
    return { route, params };
  }
  return undefined;
}

export const location$ = signal({ pathname: window.location.pathname, search: window.location.search });

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.href);
  if (url.origin !== window.location.origin) {
    window.location.assign(url.toString());
    return;
  }
  if (options.replace) history.replaceState(null, "", url.pathname + url.search + url.hash);
  else history.pushState(null, "", url.pathname + url.search + url.hash);
  location$.value = { pathname: url.pathname, search: url.search };
  if (!options.replace) window.scrollTo(0, 0);
}

export function setTitle(title: string): void {
  document.title = title ? `${title} · Arena` : "Arena";
}

/** Same-origin <a href> clicks become client navigations (modifier clicks and new tabs stay native). */
export function interceptLinks(root: HTMLElement): void {
  window.addEventListener("popstate", () => {
    location$.value = { pathname: window.location.pathname, search: window.location.search };
  });
  root.addEventListener("click", (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest("a");
    if (!a || a.target || a.hasAttribute("download") || a.getAttribute("rel")?.includes("external")) return;
    const href = a.getAttribute("href");
    if (!href || href.startsWith("#")) return;
    const url = new URL(href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname.startsWith("/api/") || url.pathname.startsWith("/media/"))
      return;
    e.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
}
