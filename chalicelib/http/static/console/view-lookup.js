// "Has this caller contacted us before?": the complainant's other complaints, found with
// GET /staff/search by their phone numbers and e-mail (the server applies scope and
// confidentiality; a masked complainant is never looked up). Used by the intake form and
// the case page.

import { api } from "./api.js";
import { busyUntil, h, replace } from "./dom.js";
import { dateTime, label, t } from "./i18n.js";

// The keys a complainant can be found by, as typed or as shown (never a mask).
export function contactKeys(who) {
  if (!who || who.masked || who.anonymous) return [];
  const keys = [];
  for (const phone of [who.mobile, who.office_phone]) {
    if (phone && /\d{5,}/.test(phone.replace(/\D/g, ""))) keys.push({ phone });
  }
  if (who.email && who.email.includes("@")) keys.push({ email: who.email });
  return keys;
}

// Every case found under any of the keys, newest first, each once.
export async function findCases(keys, exclude) {
  const pages = await Promise.all(keys.map((key) => api.search({ ...key, limit: 50 })));
  const seen = new Map();
  for (const page of pages) for (const item of page.items) if (item.number !== exclude) seen.set(item.number, item);
  return [...seen.values()].sort((a, b) => (a.received_at < b.received_at ? 1 : -1));
}

function row(item) {
  return h(
    "li",
    { dataset: { number: item.number, open: String(item.open) } },
    h("a", { href: `#/case/${encodeURIComponent(item.number)}` }, item.number),
    " · ",
    item.subject,
    " · ",
    h("span", { className: `badge${item.open ? " open" : ""}` }, label("status", item.status)),
    " · ",
    label("department", item.department),
    " · ",
    h("time", { datetime: item.received_at }, dateTime(item.received_at)),
  );
}

// A section listing the cases (or saying there are none); `openOnly` for the intake form.
export function casesList(items, { openOnly = false } = {}) {
  const shown = openOnly ? items.filter((item) => item.open) : items;
  if (!shown.length) return h("p", {}, t(openOnly ? "lookup.none_open" : "lookup.none"));
  return h("ul", { className: "caller-cases" }, shown.map(row));
}

// The case page's section. The lookup is made once per visit of the page (`render` starts
// it), not on every redraw after an action: each search by phone or e-mail is logged.
export function historySection(complaint, pending) {
  const body = h("div", { "aria-live": "polite" }, t("loading"));
  const section = h(
    "section",
    { "aria-labelledby": "others-title", id: "other-complaints" },
    h("h2", { id: "others-title" }, t("lookup.others")),
    body,
  );
  const who = complaint.data.complainant;
  if (!pending) {
    replace(body, h("p", {}, t(who.masked ? "lookup.masked" : "lookup.nokeys")));
    return section;
  }
  busyUntil(
    body,
    pending
      .then((items) => replace(body, casesList(items)))
      .catch((error) => replace(body, h("p", {}, t("error.generic", { message: error.message })))),
  );
  return section;
}

// The lookup for one case: null when the complainant cannot be looked up (masked, anonymous).
export function lookupFor(complaint) {
  const keys = contactKeys(complaint.data.complainant);
  return keys.length ? findCases(keys, complaint.number) : null;
}
