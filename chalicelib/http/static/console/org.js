// The organisation's settings the console shows (GET /staff/settings): categories and
// departments with their names in both languages, read after sign-in and again when a
// view is drawn more than a minute later, so an admin's change shows without a reload.

import { get } from "./api.js";
import { setNames } from "./i18n.js";

const MAX_AGE_MS = 60000;
let settings = { categories: [], departments: [] };
let readAt = 0;

function toNames(entries) {
  return Object.fromEntries(entries.map((e) => [e.code, [e.name_zh, e.name_en]]));
}

export function use(value) {
  settings = value;
  readAt = Date.now();
  setNames("category", toNames(value.categories));
  setNames("department", toNames(value.departments));
}

export async function load({ force = false } = {}) {
  if (!force && readAt && Date.now() - readAt < MAX_AGE_MS) return settings;
  use(await get("/staff/settings"));
  return settings;
}

// codes("departments") -> those in use (for new work); codes(kind, true) -> every one,
// retired ones too (for filters: old cases keep theirs).
export function codes(kind, all = false) {
  return (settings[kind] || []).filter((e) => all || e.active).map((e) => e.code);
}

export function current() { return settings; }
