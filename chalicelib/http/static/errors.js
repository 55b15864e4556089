// Errors next to their fields, and a summary at the top that links to each: the same on
// every page. An error is {key, vars} (a text of ours) or {text} (the server's words).

import { h } from "./elements.js";
import { lang, t } from "./i18n.js";
import { onLanguage } from "./page.js";

let current = {}; // field path -> error

export const Errors = {
  clear() {
    current = {};
    render(false);
  },

  put(path, error) {
    if (error) current[path] = error;
    else delete current[path];
    render(false);
  },

  set(fields) {
    current = {};
    for (const [path, message] of Object.entries(fields)) {
      current[path] = typeof message === "object" ? message : fromServer(path, message);
    }
    render(true);
  },
};

onLanguage(() => render(false));

function render(focus) {
  document.querySelectorAll(".error").forEach((el) => { if (el.id !== "withdraw-error") el.textContent = ""; });
  document.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  const items = Object.entries(current).map(([path, error]) => {
    const id = targetOf(path);
    const text = error.key ? t(error.key, error.vars) : serverText(error.text);
    const slot = document.getElementById(`${id}-error`);
    if (slot) slot.textContent = text;
    document.getElementById(id)?.setAttribute("aria-invalid", "true");
    return { id, text, name: nameOf(id) };
  });
  const summary = document.getElementById("error-summary");
  summary.replaceChildren();
  if (!items.length) return;
  summary.append(h("h2", {}, t("errors.title")), h("ul", {}, items.map(summaryLine)));
  if (!focus) return;
  if (document.getElementById(items[0].id)) focusField(items[0].id);
  else summary.focus();
}

function summaryLine(item) {
  // A question ("Was your problem solved?") reads badly as a prefix: its error alone.
  const prefix = item.name && !/[?？]$/.test(item.name) ? `${item.name}${t("colon")}` : "";
  const follow = (event) => { event.preventDefault(); focusField(item.id); };
  return h("li", {}, h("a", { href: `#${item.id}`, onclick: follow }, `${prefix}${item.text}`));
}

function fromServer(path, message) {
  const leaf = path.split(".").pop();
  if (path === "score") return { key: "err.score" };
  if (path === "solved") return { key: "err.solved" };
  if (/field required|at least 1 character/i.test(message)) {
    return { key: path === "category" ? "err.category" : "err.required" };
  }
  if (leaf === "email") return { key: "err.email" };
  if (leaf === "mobile" || leaf === "office_phone") return { key: "err.phone" };
  if (path === "complainant") return { key: "err.complainant" };
  if (path === "category") return { key: "err.category" };
  if (path === "people_affected") return { key: "err.people" };
  if (/date/i.test(message)) return { key: "err.date" };
  return { text: message };
}

function serverText(text) {
  return lang() === "en" ? text : `${t("err.invalid")}${t("colon")}${text}`;
}

// "complainant.email" -> "complainant-email"; a path with no field of its own
// ("attachments.0.filename") lands on its nearest ancestor that has one.
function targetOf(path) {
  const parts = path.split(".");
  while (parts.length) {
    const id = parts.join("-");
    if (document.getElementById(`${id}-error`)) return id;
    parts.pop();
  }
  return "form";
}

function nameOf(id) {
  const el = document.getElementById(id);
  if (!el) return "";
  if (el.tagName === "FIELDSET") return el.querySelector("legend")?.textContent.replace(/\s*\*$/, "").trim() || "";
  const labelEl = document.querySelector(`label[for="${id}"]`);
  return labelEl ? labelEl.textContent.replace(/[*（(].*$/, "").trim() : "";
}

function focusField(id) {
  const el = document.getElementById(id);
  if (!el) return;
  const target = el.tagName === "FIELDSET" ? el.querySelector("input, select, textarea") || el : el;
  target.focus();
  el.scrollIntoView({ block: "center" });
}

// A refusal as field errors; one that names no field goes to the summary, worded for a person.
export function problem(response) {
  if (response.status === 0) return { form: { key: "err.network" } };
  if (response.status >= 500) return { form: { key: "err.server" } };
  const error = response.data.error || {};
  if (error.fields && Object.keys(error.fields).length) return error.fields;
  return { form: { key: "err.conflict", vars: { message: error.message || response.status } } };
}

// The fields among `values` left empty, as errors; null when every one is filled.
export function missing(values) {
  const empty = Object.keys(values).filter((name) => !values[name]);
  if (!empty.length) return null;
  return Object.fromEntries(empty.map((name) => [name, { key: "err.required" }]));
}
