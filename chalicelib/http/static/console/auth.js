// Signing in and keeping the token fresh. On AWS: Cognito's hosted UI, authorization code
// with PKCE, tokens in sessionStorage (gone when the tab closes), refreshed 5 minutes
// before they expire. On the local stack: a demo user's token from /console/local/token.
//
// Several tabs: sessionStorage is per tab, so a new tab asks the open ones over a
// BroadcastChannel (same origin only, never stored anywhere new) and takes the session the
// first one answers with; a refresh in one tab is passed to the others, and signing out in
// one signs out every tab at once. Tokens stay out of localStorage and cookies: closing
// the last tab still ends the session.

import { config } from "./config.js";
import { url } from "./api.js";

const KEY = "console.session";
const PKCE = "console.pkce";
const EARLY_MS = 5 * 60 * 1000;
let timer = null;

export function session() {
  try { return JSON.parse(sessionStorage.getItem(KEY)); } catch { return null; }
}

function save(value, { share = true } = {}) {
  sessionStorage.setItem(KEY, JSON.stringify(value));
  schedule(value);
  if (share) post({ type: "session", session: value });
}

// -- tabs of the same browser ---------------------------------------------------------------

const channel = "BroadcastChannel" in window ? new BroadcastChannel("console.session") : null;
const ASK_MS = 400;
let onSignedOut = () => {};

function post(message) {
  if (channel) channel.postMessage(message);
}

if (channel) {
  channel.addEventListener("message", ({ data }) => {
    if (!data || typeof data !== "object") return;
    if (data.type === "ask" && session()) post({ type: "session", session: session() });
    else if (data.type === "session" && data.session && data.session.id_token) {
      const mine = session();
      // Only the same person's newer tokens replace this tab's (a refresh elsewhere).
      if (mine && claimsOf(mine).user === claimsOf(data.session).user && data.session.expires_at > mine.expires_at) {
        save(data.session, { share: false });
      }
    } else if (data.type === "signed-out" && session()) {
      signOutLocally();
      onSignedOut();
    }
  });
}

// A tab opened without a session asks the other tabs for theirs (once, briefly).
export async function adoptFromOtherTabs() {
  if (!channel || session()) return false;
  const answer = new Promise((resolve) => {
    const take = ({ data }) => {
      if (data && data.type === "session" && data.session && data.session.id_token && data.session.expires_at > Date.now()) {
        channel.removeEventListener("message", take);
        resolve(data.session);
      }
    };
    channel.addEventListener("message", take);
    setTimeout(() => {
      channel.removeEventListener("message", take);
      resolve(null);
    }, ASK_MS);
  });
  post({ type: "ask" });
  const found = await answer;
  if (!found || session()) return Boolean(session());
  save(found, { share: false });
  return true;
}

// What the page does when another tab signs out (main.js: back to the sign-in page).
export function whenSignedOutElsewhere(callback) {
  onSignedOut = callback;
}

export function claims() {
  const current = session();
  return current ? claimsOf(current) : null;
}

function claimsOf(current) {
  const part = current.id_token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  const json = decodeURIComponent(
    Array.from(atob(part), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`).join(""),
  );
  const raw = JSON.parse(json);
  return {
    user: raw.sub,
    name: raw.name || raw["cognito:username"] || raw.email || raw.sub,
    roles: raw["cognito:groups"] || [],
    departments: (raw["custom:departments"] || "").split(",").filter(Boolean),
  };
}

export async function token() {
  const current = session();
  if (!current) return null;
  if (Date.now() > current.expires_at - 30 * 1000) await refresh();
  const fresh = session();
  return fresh ? fresh.id_token : null;
}

function schedule(value) {
  clearTimeout(timer);
  if (!value) return;
  const wait = Math.max(value.expires_at - Date.now() - EARLY_MS, 10 * 1000);
  timer = setTimeout(() => refresh().catch(() => signOutLocally()), wait);
}

export function resume() {
  schedule(session());
}

async function refresh() {
  const current = session();
  if (!current) return;
  if (current.mode === "local") {
    await localSignIn(current.user_id);
  } else if (current.refresh_token) {
    const tokens = await tokenRequest({
      grant_type: "refresh_token",
      client_id: config.auth.client_id,
      refresh_token: current.refresh_token,
    });
    save({ ...current, id_token: tokens.id_token, expires_at: Date.now() + tokens.expires_in * 1000 });
  }
}

// -- the local stack ----------------------------------------------------------------------

export async function localUsers() {
  const response = await fetch(url("/console/local/users"), { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()).people;
}

export async function localSignIn(userId) {
  const response = await fetch(url("/console/local/token"), {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ user_id: userId }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : `HTTP ${response.status}`);
  save({ mode: "local", user_id: userId, id_token: body.id_token, expires_at: Date.now() + body.expires_in * 1000 });
}

// -- Cognito hosted UI, authorization code with PKCE ---------------------------------------

function randomText(bytes) {
  const data = crypto.getRandomValues(new Uint8Array(bytes));
  return base64url(data);
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function cognitoSignIn() {
  const verifier = randomText(48);
  const state = randomText(16);
  sessionStorage.setItem(PKCE, JSON.stringify({ verifier, state, hash: location.hash }));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  const params = new URLSearchParams({
    response_type: "code",
    client_id: config.auth.client_id,
    redirect_uri: config.auth.redirect_uri,
    scope: "openid email profile",
    state,
    code_challenge_method: "S256",
    code_challenge: base64url(digest),
  });
  location.assign(`${config.auth.domain}/oauth2/authorize?${params}`);
}

// Back from the hosted UI with ?code=...&state=...: trade the code for tokens.
export async function completeCognitoSignIn() {
  const params = new URLSearchParams(location.search);
  if (config.auth.mode !== "cognito" || !params.has("code")) return false;
  const pending = JSON.parse(sessionStorage.getItem(PKCE) || "null");
  sessionStorage.removeItem(PKCE);
  history.replaceState(null, "", location.pathname + ((pending && pending.hash) || ""));
  if (!pending || pending.state !== params.get("state")) throw new Error("state mismatch");
  const tokens = await tokenRequest({
    grant_type: "authorization_code",
    client_id: config.auth.client_id,
    code: params.get("code"),
    redirect_uri: config.auth.redirect_uri,
    code_verifier: pending.verifier,
  });
  save({
    mode: "cognito",
    id_token: tokens.id_token,
    refresh_token: tokens.refresh_token,
    expires_at: Date.now() + tokens.expires_in * 1000,
  });
  return true;
}

async function tokenRequest(fields) {
  const response = await fetch(`${config.auth.domain}/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
  if (!response.ok) throw new Error(`token endpoint: HTTP ${response.status}`);
  return response.json();
}

export function signOutLocally() {
  clearTimeout(timer);
  sessionStorage.removeItem(KEY);
}

export function signOut() {
  const current = session();
  signOutLocally();
  post({ type: "signed-out" });
  if (current && current.mode === "cognito") {
    const params = new URLSearchParams({ client_id: config.auth.client_id, logout_uri: config.auth.redirect_uri });
    location.assign(`${config.auth.domain}/logout?${params}`);
    return;
  }
  location.hash = "#/signin";
}

// What the signed-in user's roles open in the console (the API decides in the end).
const REPORT_ROLES = ["supervisor", "manager", "director", "quality", "admin"];
const INTAKE_ROLES = ["intake_agent", "supervisor", "manager", "director"];

function holds(roles) {
  const who = claims();
  return Boolean(who && who.roles.some((role) => roles.includes(role)));
}

export const can = {
  reports: () => holds(REPORT_ROLES),
  intake: () => holds(INTAKE_ROLES),
  failed: () => holds(["admin"]),
  admin: () => holds(["admin"]),
  subjectAccess: () => holds(["admin", "quality"]),
  callbacks: () => holds(config.callback_roles || []),
};
