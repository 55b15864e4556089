import { config } from "./config.js";
import { ENUMS } from "./i18n-labels.js";
import { TABLE } from "./i18n-texts.js";
import { offsetMinutes } from "./zone.js";

// The console's one translation table (zh-CN and en) and the language in use.
// The language follows the browser until the user picks one with the switch.

export const LANGS = ["zh-CN", "en"];
const KEY = "console.lang";

function detect() {
  const chosen = localStorage.getItem(KEY);
  if (LANGS.includes(chosen)) return chosen;
  const wanted = navigator.languages || [navigator.language || "en"];
  for (const tag of wanted) {
    if (tag.toLowerCase().startsWith("zh")) return "zh-CN";
    if (tag.toLowerCase().startsWith("en")) return "en";
  }
  return "en";
}

let current = detect();

export function lang() { return current; }

export function setLang(value) {
  current = LANGS.includes(value) ? value : "en";
  localStorage.setItem(KEY, current);
  document.documentElement.lang = current;
}

function pick(pair) { return pair[current === "zh-CN" ? 0 : 1]; }

// t("case.title", {number}) -> the text in the current language, placeholders filled.
export function t(key, values = {}) {
  const pair = TABLE[key];
  if (!pair) return key;
  return pick(pair).replace(/\{(\w+)\}/g, (_, name) => (name in values ? String(values[name]) : `{${name}}`));
}

// The organisation's own names (categories, departments) come from its settings (org.js):
// this table keeps only the interface's own words.
const OWN = {};

export function setNames(kind, names) { OWN[kind] = names; }

// label("status", "received") -> a value's name; unknown values are shown as they are.
export function label(kind, value) {
  if (value === null || value === undefined || value === "") return "";
  const pair = (OWN[kind] || {})[value] || (ENUMS[kind] || {})[value];
  if (pair) return pick(pair);
  // An event type this table does not know yet reads as words, not as a key.
  return kind === "event" ? String(value).replace(/_/g, " ") : String(value);
}

// Times are shown, and typed, in the organisation's time zone, wherever the browser is.
export function dateTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(current, { dateStyle: "medium", timeStyle: "short", timeZone: config.timezone });
}

// "2026-11-02T09:30" typed in a datetime-local field -> an ISO instant in the org's zone.
export function fromOrgTime(value) {
  const guess = new Date(`${value}:00Z`);
  const first = new Date(guess.getTime() - offsetMinutes(guess, config.timezone) * 60000);
  return new Date(guess.getTime() - offsetMinutes(first, config.timezone) * 60000).toISOString();
}

// Now, as a datetime-local value in the org's zone.
export function orgNow() {
  const now = new Date();
  return new Date(now.getTime() + offsetMinutes(now, config.timezone) * 60000).toISOString().slice(0, 16);
}

export function hours(value) {
  return new Intl.NumberFormat(current, { maximumFractionDigits: 1 }).format(Math.abs(value));
}

export function keysForTest() { return Object.keys(TABLE); }
