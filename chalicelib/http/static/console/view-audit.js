// The administration audit (admins): who changed what and when, newest first, a month at a
// time (GET /staff/admin/audit), with each change as "path: before → after".

import { get, query } from "./api.js";
import { answerOrError, h, monthFilter, replace, scrollable } from "./dom.js";
import { dateTime, label, t } from "./i18n.js";

function thisMonth() {
  const now = new Date();
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
}

function shown(value) {
  if (value === null || value === undefined) return t("audit.removed");
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function changes(entry) {
  const list = Object.entries(entry.changes || {});
  const details = Object.entries(entry.details || {});
  return h(
    "ul",
    { className: "changes" },
    list.map(([path, [before, after]]) => h("li", {}, h("code", {}, path), `: ${shown(before)} → ${shown(after)}`)),
    details.map(([key, value]) => h("li", {}, h("code", {}, key), `: ${shown(value)}`)),
  );
}

function row(entry) {
  return h(
    "tr",
    {},
    h("td", {}, h("time", { dateTime: entry.at }, dateTime(entry.at))),
    h("td", {}, `${entry.actor} (${entry.roles.map((role) => label("role", role)).join(", ")})`),
    h("td", {}, entry.action),
    h("td", {}, entry.target),
    h("td", {}, changes(entry)),
  );
}

export async function render(main, arg, { stillCurrent }) {
  const month = /^\d{4}-\d{2}$/.test(arg || "") ? arg : thisMonth();
  const form = monthFilter(month, t("audit.month"), t("audit.show"), (data) => `#/audit/${data.get("month")}`);
  const body = h("tbody", {});
  const table = h(
    "div",
    scrollable(t("audit.title")),
    h("table", {}, h("thead", {}, h("tr", {}, ["audit.at", "audit.actor", "audit.action", "audit.target", "audit.changes"].map((key) => h("th", { scope: "col" }, t(key))))), body),
  );
  const more = h("div", { className: "buttons" });
  replace(main, h("h1", { tabindex: "-1" }, t("audit.title")), form, table, more);

  async function page(cursor) {
    const request = get(`/staff/admin/audit${query({ month, cursor })}`);
    const result = await answerOrError(request, more, stillCurrent, t("settings.forbidden"), (message) => t("error.generic", { message }));
    if (!result) return;
    body.append(...result.items.map(row));
    if (!body.rows.length) body.append(h("tr", {}, h("td", { colSpan: 5 }, t("audit.none"))));
    replace(more, result.next_cursor ? h("button", { type: "button", onclick: () => page(result.next_cursor) }, t("audit.more")) : []);
  }
  await page(undefined);
}
