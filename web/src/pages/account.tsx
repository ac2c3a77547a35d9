import { useEffect } from "preact/hooks";
import { currentUser, sessionChecked } from "../api/session";
import { navigate, setTitle, type PageProps } from "../router";
import { BlocksTab, FollowingTab, PreferencesTab, ProfileTab } from "./account-tabs";
import { DataTab } from "./account-data";
import { SecurityTab } from "./account-security";

const TABS = [
  { id: "profile", label: "Profile" },
  { id: "preferences", label: "Preferences" },
  { id: "security", label: "Security" },
  { id: "following", label: "Following" },
  { id: "blocks", label: "Blocked users" },
  { id: "data", label: "Your data" },
] as const;

/** The signed-in user's own settings, one tab per concern. */
export default function Account({ params }: PageProps) {
  const tab = TABS.find((t) => t.id === params.tab)?.id ?? "profile";
  const user = currentUser.value;
  useEffect(() => {
    if (sessionChecked.value && !user)
      navigate(`/login?next=${encodeURIComponent(location.pathname)}`, { replace: true });
  }, [sessionChecked.value, user]);
  useEffect(() => setTitle(`Account · ${TABS.find((t) => t.id === tab)?.label ?? ""}`), [tab]);
  if (!user) return <div class="page-loading" aria-busy="true" aria-label="Loading" />;

  return (
    <div class="page" style={{ maxWidth: "960px" }}>
      <h1>Account</h1>
      <nav class="tabs" aria-label="Account sections">
        {TABS.map((t) => (
          <a key={t.id} href={`/account/${t.id}`} aria-current={t.id === tab ? "page" : undefined}>
            {t.label}
          </a>
        ))}
      </nav>
      {tab === "profile" && <ProfileTab />}
      {tab === "preferences" && <PreferencesTab />}
      {tab === "security" && <SecurityTab />}
      {tab === "following" && <FollowingTab />}
      {tab === "blocks" && <BlocksTab />}
      {tab === "data" && <DataTab />}
    </div>
  );
}
