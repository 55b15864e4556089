// The queues staff open first: counts, one queue's cases nearest deadline first, filters,
// search by number and paging with the API's cursor.

import { ApiError, api } from "./api.js";
import * as auth from "./auth.js";
import { config } from "./config.js";
import { announce, field, h, replace, scrollable, select } from "./dom.js";
import { dateTime, hours, label, t } from "./i18n.js";
import * as org from "./org.js";
import { deadlineBadges } from "./view-parts.js";

const FILTERS_KEY = "console.filters";
const STATUSES = ["received", "transferred", "accepted", "assigned", "in_progress", "waiting_for_complainant", "resolved"];

function savedFilters() {
  try { return JSON.parse(sessionStorage.getItem(FILTERS_KEY)) || {}; } catch { return {}; }
}

export async function render(main, wanted, { stillCurrent, rerender }) {
  const filters = savedFilters();
  const counts = await api.counts({ department: filters.department });
  if (!stillCurrent()) return;
  const queues = counts.queues.map((q) => ({ ...q }));
  if (auth.can.failed()) {
    const failed = await api.failed();
    queues.push({ queue: "failed", count: failed.items.length, capped: false, items: failed.items });
  }
  // Another slice's list (phone follow-up): if it fails, the queues still open.
  const due = auth.can.callbacks() ? await api.callbacks().catch(() => null) : null;
  if (due) {
    queues.push({ queue: "callbacks", count: due.items.length, capped: Boolean(due.next_cursor), items: due.items });
  }
  const names = queues.map((q) => q.queue);
  let current = names.includes(wanted) ? wanted : null;
  if (!current) {
    const busy = queues.find((q) => q.count > 0);
    current = (busy || queues[0] || {}).queue;
  }
  const heading = h("h1", { tabindex: "-1" }, t("queues.title"));
  const tabs = h(
    "ul",
    { className: "queue-list" },
    queues.map((q) =>
      h(
        "li",
        {},
        h(
          "a",
          { href: `#/queue/${q.queue}`, "aria-current": q.queue === current ? "page" : false, dataset: { queue: q.queue } },
          h("span", {}, t(`queue.${q.queue}`)),
          " ",
          h("span", { className: `count${q.count ? " busy" : ""}` }, q.capped ? t("queues.capped", { count: q.count }) : String(q.count)),
        ),
      ),
    ),
  );
  const results = h("section", { "aria-labelledby": "queue-title", className: "queue" });
  replace(main, heading, searchForm(), h("nav", { "aria-label": t("queues.title") }, tabs), filterForm(filters, rerender), results);
  if (!current) {
    replace(results, h("p", { id: "queue-title" }, t("queues.none")));
    return;
  }
  if (current === "callbacks") {
    showCallbacks(results, queues.find((q) => q.queue === "callbacks").items);
    return;
  }
  if (current === "failed") {
    showFailed(results, queues.find((q) => q.queue === "failed").items);
    return;
  }
  await showQueue(results, current, filters, null);
}

async function showQueue(section, name, filters, cursor) {
  const page = await api.queue(name, { ...filters, cursor, limit: 25 });
  const title = h("h2", { id: "queue-title" }, t(`queue.${name}`));
  if (!page.items.length) {
    replace(section, title, h("p", {}, t("queues.empty")));
    return;
  }
  const rows = page.items.map((item) => caseRow(item));
  const pager = h("div", { className: "pager" });
  if (cursor) {
    pager.append(h("button", { type: "button", onclick: () => showQueue(section, name, filters, null) }, t("queues.first")));
  }
  if (page.next_cursor) {
    pager.append(
      h("button", { type: "button", onclick: () => showQueue(section, name, filters, page.next_cursor).then(() => section.querySelector("h2").focus()) }, t("queues.more")),
    );
  }
  title.setAttribute("tabindex", "-1");
  replace(
    section,
    title,
    h(
      "div",
      scrollable(t(`queue.${name}`)),
      h(
        "table",
        { className: "cases" },
        h("caption", { className: "visually-hidden" }, t(`queue.${name}`)),
        h(
          "thead",
          {},
          h("tr", {}, ["field.number", "field.subject", "field.status", "field.grade", "field.department", "field.assignee", "field.replies", "field.deadline", "field.left"].map((key) => h("th", { scope: "col" }, t(key)))),
        ),
        h("tbody", {}, rows),
      ),
    ),
    pager,
  );
}

function replies(item) {
  const count = item.reply_count || 0;
  if (!item.replies_unread) return String(count);
  return [String(count), " ", h("span", { className: "badge unread" }, t("replies.unread", { count: item.replies_unread }))];
}

function caseRow(item) {
  const clock = item.clock || { deadlines: {} };
  const nearest = clock.nearest ? clock.deadlines[clock.nearest] : null;
  const left = nearest
    ? nearest.overdue
      ? t("left.overdue", { hours: hours(nearest.working_hours_left) })
      : t("left.hours", { hours: hours(nearest.working_hours_left) })
    : "";
  return h(
    "tr",
    { dataset: { number: item.number } },
    h("th", { scope: "row" }, h("a", { href: `#/case/${encodeURIComponent(item.number)}` }, item.number)),
    h("td", {}, item.data.subject),
    h("td", {}, label("status", item.status)),
    h("td", {}, item.grade),
    h("td", {}, label("department", item.department)),
    h("td", {}, item.assignee || ""),
    h("td", {}, replies(item)),
    h("td", {}, nearest ? [t(`deadline.${clock.nearest}`), h("br"), dateTime(nearest.due)] : ""),
    h("td", {}, left, " ", deadlineBadges(clock, nearest)),
  );
}

function showFailed(section, items) {
  const title = h("h2", { id: "queue-title" }, t("queue.failed"));
  if (!items.length) {
    replace(section, title, h("p", {}, t("failed.none")));
    return;
  }
  replace(
    section,
    title,
    h(
      "div",
      scrollable(t("queue.failed")),
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, ["field.number", "failed.audience", "failed.subject", "failed.attempts", "failed.error", "failed.created"].map((key) => h("th", { scope: "col" }, t(key))))),
        h(
          "tbody",
          {},
          items.map((item) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, h("a", { href: `#/case/${encodeURIComponent(item.number)}` }, item.number)),
              h("td", {}, `${item.channel} · ${item.audience}`),
              h("td", {}, item.subject),
              h("td", {}, String(item.attempts)),
              h("td", {}, item.last_error || ""),
              h("td", {}, dateTime(item.created_at)),
            ),
          ),
        ),
      ),
    ),
  );
}

// Phone follow-up (回访) due: made from the case (the list comes from GET /staff/callbacks).
function showCallbacks(section, items) {
  const title = h("h2", { id: "queue-title" }, t("queue.callbacks"));
  if (!items.length) {
    replace(section, title, h("p", {}, t("queues.empty")));
    return;
  }
  const head = ["field.number", "field.subject", "field.department", "callback.due", "callback.slot", "field.name", "field.mobile", "callback.attempts"];
  replace(
    section,
    title,
    h(
      "div",
      scrollable(t("queue.callbacks")),
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, head.map((key) => h("th", { scope: "col" }, t(key))))),
        h(
          "tbody",
          {},
          items.map((item) =>
            h(
              "tr",
              { dataset: { number: item.number } },
              h("th", { scope: "row" }, h("a", { href: `#/case/${encodeURIComponent(item.number)}` }, item.number)),
              h("td", {}, item.subject),
              h("td", {}, label("department", item.department)),
              h("td", {}, item.due_on, " ", item.overdue ? h("span", { className: "badge overdue" }, t("badge.overdue")) : ""),
              h("td", {}, t(`slot.${item.slot}`)),
              h("td", {}, item.name || ""),
              h("td", {}, item.phone || ""),
              h("td", {}, String(item.attempts)),
            ),
          ),
        ),
      ),
    ),
  );
}

function searchForm() {
  const input = h("input", { type: "search", name: "number", required: true, autocomplete: "off", placeholder: "TS-20261124-0001", pattern: "\\s*[A-Za-z]{2}-\\d{8}-\\d{4,}\\s*" });
  return h(
    "form",
    {
      className: "search",
      role: "search",
      onsubmit: async (event) => {
        event.preventDefault();
        const number = input.value.trim().toUpperCase();
        try {
          await api.complaint(number);
          location.hash = `#/case/${encodeURIComponent(number)}`;
        } catch (error) {
          const gone = error instanceof ApiError && [403, 404].includes(error.status);
          announce(gone ? t("search.notfound", { number }) : t("error.generic", { message: error.message }), "error");
          input.focus();
        }
      },
    },
    field(t("search.label"), input),
    h("button", { type: "submit" }, t("search.go")),
  );
}

function options(values, kind) {
  return [["", t("filters.any")], ...values.map((value) => [value, kind ? label(kind, value) : value])];
}

function filterForm(filters, rerender) {
  const who = auth.claims();
  const departments = who && !who.departments.includes("*") && !who.roles.includes("admin")
    ? org.codes("departments", true).filter((d) => who.departments.includes(d))
    : org.codes("departments", true);
  const form = h(
    "form",
    {
      className: "filters",
      onsubmit: (event) => {
        event.preventDefault();
        const data = Object.fromEntries(new FormData(form).entries());
        const chosen = Object.fromEntries(Object.entries(data).filter(([, value]) => value));
        sessionStorage.setItem(FILTERS_KEY, JSON.stringify(chosen));
        rerender({ keepStatus: true });
      },
    },
    h("h2", { className: "visually-hidden" }, t("filters.title")),
    field(t("field.department"), select("department", options(departments, "department"), filters.department || "")),
    field(t("field.status"), select("status", options(STATUSES, "status"), filters.status || "")),
    field(t("field.grade"), select("grade", options(config.grades), filters.grade || "")),
    field(t("field.category"), select("category", options(org.codes("categories", true), "category"), filters.category || "")),
    field(t("field.channel"), select("channel", options(["web", ...config.channels, "open311"], "channel"), filters.channel || "")),
    h(
      "div",
      { className: "buttons" },
      h("button", { type: "submit" }, t("filters.apply")),
      h(
        "button",
        {
          type: "button",
          onclick: () => {
            sessionStorage.removeItem(FILTERS_KEY);
            rerender({ keepStatus: true });
          },
        },
        t("filters.clear"),
      ),
    ),
  );
  return form;
}
