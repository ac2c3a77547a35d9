import { useState } from "preact/hooks";
import { currentUser, logout, sessionChecked } from "../api/session";
import { navEntries } from "../nav";
import { location$, navigate } from "../router";
import { NotificationBell } from "./notification-bell";
import { SearchBox } from "./search-box";

/** Top bar: brand, nav registry, search with autocomplete, notifications bell, account menu. */
export function Header() {
  const user = currentUser.value;
  const { pathname } = location$.value;
  const [menuOpen, setMenuOpen] = useState(false);
  const visible = navEntries.value.filter((e) => {
    if (e.audience === "signed-in" && !user) return false;
    if (e.audience === "signed-out" && user) return false;
    if (e.roles && !e.roles.some((r) => user?.roles.includes(r) || user?.roles.includes("admin"))) return false;
    return true;
  });

  return (
    <header class="topbar">
      <a class="brand" href="/" aria-label="Arena home">
        <svg viewBox="0 0 64 64" width="28" height="28" aria-hidden="true">
          <path d="M32 10 52 54H42l-4-9H26l-4 9H12L32 10Zm0 17-4 10h8l-4-10Z" fill="currentColor" />
        </svg>
        <span>ARENA</span>
      </a>
      <nav class="mainnav" aria-label="Main">
        {visible.map((e) => (
          <a
            key={e.id}
            href={e.href}
            class={pathname === e.href || (e.href !== "/" && pathname.startsWith(e.href)) ? "active" : ""}
            aria-current={pathname === e.href ? "page" : undefined}
          >
            {e.label}
            {e.badge?.value ? <span class="badge">{e.badge.value}</span> : null}
          </a>
        ))}
      </nav>
      <SearchBox />
      <div class="account">
        <NotificationBell />
        {!sessionChecked.value ? (
          <span class="avatar-btn" aria-hidden="true">
            <span class="avatar" />
          </span>
        ) : user ? (
          <div class="menu">
            <button
              class="avatar-btn"
              aria-haspopup="menu"
              aria-expanded={menuOpen}
              onClick={() => setMenuOpen(!menuOpen)}
              onKeyDown={(e) => e.key === "Escape" && setMenuOpen(false)}
            >
              <span class="avatar" aria-hidden="true">
                {user.username.slice(0, 1).toUpperCase()}
              </span>
              <span class="username">{user.username}</span>
            </button>
            {menuOpen && (
              <div class="menu-list" role="menu" onClick={() => setMenuOpen(false)}>
                <a role="menuitem" href="/dashboard">
                  Creator dashboard
                </a>
                <a role="menuitem" href="/account">
                  Account
                </a>
                <a role="menuitem" href="/account/security">
                  Security
                </a>
                <button
                  role="menuitem"
                  onClick={() => {
                    void logout().then(() => navigate("/"));
                  }}
                >
                  Log out
                </button>
              </div>
            )}
          </div>
        ) : (
          <>
            <a class="btn ghost" href={`/login?next=${encodeURIComponent(pathname)}`}>
              Log in
            </a>
            <a class="btn primary" href="/register">
              Sign up
            </a>
          </>
        )}
      </div>
    </header>
  );
}
