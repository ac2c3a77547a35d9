/**
 * The people the web specs share: a user made through the API (registered, logged in) and a sign-in through
 * the login form. (The page such a user drives, recording its errors, is watched-page.ts's.)
 */
import type { Page } from "playwright-core";
import { ApiClient, ok } from "../../helpers/api-client";

export const PASSWORD = "violet-tundra-42-kettle";

/** A new user `username` (password PASSWORD), as an API client holding their access token. */
export async function signedIn(base: string, username: string): Promise<ApiClient> {
  const anon = new ApiClient(base);
  ok(await anon.auth.register({ email: `${username}@example.test`, username, password: PASSWORD }), 201);
  return anon.as(ok(await anon.auth.login({ login: username, password: PASSWORD })).accessToken);
}

/** Signs `username` in through the login form and waits to leave it. */
export async function logInWithForm(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill("#login", username);
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}
