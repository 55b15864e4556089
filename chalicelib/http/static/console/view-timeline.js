// The case's timeline: each event with who did it and what it changed, in the user's
// language and the organisation's time zone.

import { h } from "./dom.js";
import { dateTime, label, t } from "./i18n.js";
import { yesNo } from "./view-facts.js";

function show(value) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "boolean") return yesNo(value);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

// Values the audit trail records as keys or UTC instants, shown as everywhere else: the
// same labels in the user's language, times in the organisation's zone.
const LABELLED = {
  status: "status", channel: "channel", department: "department", to: "department",
  transferred_to: "department", kind: "kind", category: "category", severity: "severity",
  priority: "priority", role: "role", actor_role: "role",
};

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function shown(path, value) {
  const name = path.split(".").slice(-1)[0];
  if (typeof value === "string" && LABELLED[name]) return label(LABELLED[name], value);
  if (typeof value === "string" && INSTANT.test(value)) return dateTime(value);
  return show(value);
}

// {a: {b: 1}} -> {"a.b": 1}: a change to one deadline shows as that deadline's fields only.
function flatten(value, prefix, out) {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix) {
    out[prefix] = value;
  }
  return out;
}

function fieldName(path) {
  const parts = path.split(".");
  const named = parts.map((part) => {
    for (const key of [`field.${part}`, `deadline.${part}`]) if (t(key) !== key) return t(key);
    return part;
  });
  return named.join(" · ");
}

function changeItems(name, before, after) {
  const old = flatten(before, name, {});
  const now = flatten(after, name, {});
  const paths = [...new Set([...Object.keys(old), ...Object.keys(now)])].filter((path) => JSON.stringify(old[path]) !== JSON.stringify(now[path]));
  if (!paths.length) paths.push(name);
  return paths.map((path) => {
    const pair = path === name ? [before, after] : [old[path], now[path]];
    const [from, to] = pair.map((value) => shown(path, value));
    return h("li", {}, t("timeline.changed", { field: fieldName(path), before: from, after: to }));
  });
}

export function timelineSection(history) {
  const items = history.map((entry) => {
    const changes = Object.entries(entry.changes || {}).flatMap(([name, [before, after]]) => changeItems(name, before, after));
    const details = Object.entries(entry.details || {}).map(([name, value]) => h("li", {}, `${fieldName(name)}: ${shown(name, value)}`));
    return h(
      "li",
      { dataset: { event: entry.action } },
      h("p", {}, h("time", { datetime: entry.at }, dateTime(entry.at)), " · ", h("strong", {}, label("event", entry.action)), " · ", t("timeline.by", { actor: entry.actor, role: label("role", entry.role) })),
      changes.length || details.length ? h("ul", { className: "changes" }, changes, details) : null,
    );
  });
  return h("section", { "aria-labelledby": "timeline-title" }, h("h2", { id: "timeline-title" }, t("case.timeline")), h("ol", { className: "timeline" }, items));
}
