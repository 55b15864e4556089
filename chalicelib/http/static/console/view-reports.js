// The month's figures from the reports API (docs: /work/coord/REPORTS-API.md shape): by
// department, category, ...; the charts and the CSV/XLSX files, fetched with the token.

import { api } from "./api.js";
import { announce, answerOrError, busyUntil, field, h, monthFilter, replace, scrollable, select } from "./dom.js";
import { dateTime, label, lang, t } from "./i18n.js";

const GROUPINGS = ["department", "category", "channel", "grade", "handler", "kind", "responsible"];
const BY_LABEL = {
  department: ["部门", "Department"], category: ["类别", "Category"], channel: ["渠道", "Channel"],
  grade: ["等级", "Grade"], handler: ["承办人", "Handler"], kind: ["类型", "Kind"],
  responsible: ["责任部门", "Responsible department"],
};
let objectUrls = [];

function thisMonth() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
}

function byLabel(by) {
  return BY_LABEL[by][lang() === "zh-CN" ? 0 : 1];
}

export async function render(main, arg, { stillCurrent }) {
  for (const old of objectUrls) URL.revokeObjectURL(old);
  objectUrls = [];
  const [monthArg, byArg] = (arg || "").split("/");
  const month = /^\d{4}-\d{2}$/.test(monthArg || "") ? monthArg : thisMonth();
  const by = GROUPINGS.includes(byArg) ? byArg : "department";
  const form = monthFilter(
    month,
    t("reports.month"),
    t("reports.show"),
    (data) => `#/reports/${data.get("month")}/${data.get("by")}`,
    field(t("reports.by"), select("by", GROUPINGS.map((g) => [g, byLabel(g)]), by)),
  );
  const body = h("div", { className: "report" }, h("p", {}, t("loading")));
  replace(main, h("h1", { tabindex: "-1" }, t("reports.title")), form, body);
  const request = Promise.all([api.report(month, { by, lang: lang() }), api.assessment(month, { lang: lang() })]);
  const answers = await answerOrError(request, body, stillCurrent, t("reports.forbidden"), (message) => t("reports.unavailable", { message }));
  if (!answers) return;
  const [report, ranked] = answers;
  replace(body, downloads(month, by), figures(report, by), backlog(report), assessment(ranked), charts(month));
}

// 考核表: per responsible department, ranked by valid complaints (most first).
function assessment(ranked) {
  const metrics = ranked.metrics || [];
  const row = (group) =>
    h("tr", { dataset: { department: group.key } }, h("td", {}, String(group.rank)), h("th", { scope: "row" }, label("department", group.key)), metrics.map((m) => h("td", {}, value(m, group.values[m.key]))));
  return h(
    "section",
    { "aria-labelledby": "assessment-title" },
    h("h2", { id: "assessment-title" }, t("reports.assessment")),
    fileButtons(`/staff/reports/${ranked.month}/assessment`, `assessment-${ranked.month}`, "reports.assessment", "assessment-"),
    h(
      "div",
      scrollable(t("reports.assessment")),
      h(
        "table",
        { className: "assessment" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("reports.rank")), h("th", { scope: "col" }, byLabel("responsible")), metrics.map((m) => h("th", { scope: "col" }, m.label)))),
        h("tbody", {}, (ranked.groups || []).map(row)),
      ),
    ),
  );
}

function value(metric, raw) {
  if (raw === null || raw === undefined) return "—";
  const number = (x, digits = 1) => new Intl.NumberFormat(lang(), { maximumFractionDigits: digits }).format(x);
  switch (metric.kind) {
    case "count": return number(raw, 0);
    case "rate": return raw.value === null || raw.value === undefined ? "—" : `${number(raw.value * 100)}% (${raw.numerator}/${raw.denominator})`;
    case "duration": return raw.mean === null || raw.mean === undefined ? "—" : `${number(raw.mean)} h · p90 ${number(raw.p90)} h`;
    case "mean": return raw.value === null || raw.value === undefined ? "—" : number(raw.value, 2);
    default: return typeof raw === "object" ? JSON.stringify(raw) : String(raw);
  }
}

// A group's name as everywhere else in the console (department keys -> names).
function groupName(by, group) {
  if (["department", "category", "channel", "kind"].includes(by)) return label(by, group.key);
  if (by === "responsible" && group.key !== "-") return label("department", group.key);
  return group.label || group.key;
}

// Figures as rows and groups as columns: some 25 figures stay readable on a laptop, and on
// a phone the table scrolls sideways with the figure names kept in view (sticky column).
function figures(report, by) {
  const metrics = report.metrics || [];
  const groups = (report.groups || []).map((g) => ({ name: groupName(by, g), values: g.values || {} }));
  const columns = report.total ? [...groups, { name: t("reports.total"), values: report.total.values, total: true }] : groups;
  const rows = metrics.map((m) =>
    h(
      "tr",
      { dataset: { metric: m.key } },
      h("th", { scope: "row" }, m.label),
      columns.map((c) => h("td", { className: c.total ? "total" : "" }, value(m, c.values[m.key]))),
    ),
  );
  return h(
    "section",
    { "aria-labelledby": "figures-title" },
    h("h2", { id: "figures-title" }, `${report.month} · ${byLabel(by)}`),
    asOf(report),
    h(
      "div",
      scrollable(t("reports.title")),
      h(
        "table",
        { className: "figures" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("reports.figure")), columns.map((c) => h("th", { scope: "col", className: c.total ? "total" : "" }, c.name)))),
        h("tbody", {}, rows),
      ),
    ),
  );
}

// The month in progress is a report as of its time, said so.
function asOf(report) {
  if (!report.period || report.period.complete) return null;
  return h("p", { className: "as-of" }, t("reports.as_of", { at: dateTime(report.generated_at) }));
}

function backlog(report) {
  if (!report.backlog) return null;
  const entries = Object.entries(report.backlog);
  return h(
    "section",
    { "aria-labelledby": "backlog-title" },
    h("h2", { id: "backlog-title" }, t("reports.backlog")),
    h("dl", { className: "facts" }, entries.map(([key, count]) => [h("dt", {}, t(`backlog.${key}`)), h("dd", {}, String(count))])),
  );
}

function downloads(month, by) {
  return fileButtons(`/staff/reports/${month}?by=${by}&`, `report-${month}-${by}`, "reports");
}

// CSV and Excel of a report at `path` (which ends in ? or &), fetched with the token.
function fileButtons(path, name, keys, prefix = "") {
  const sep = /[?&]$/.test(path) ? "" : "?";
  const fetchFile = (format) => async () => {
    try {
      const blob = await api.blob(`${path}${sep}format=${format}&lang=${lang()}`);
      const link = h("a", { href: URL.createObjectURL(blob), download: `${name}.${format}` });
      objectUrls.push(link.href);
      document.body.append(link);
      link.click();
      link.remove();
    } catch (error) {
      announce(t("form.error", { message: error.message }), "error");
    }
  };
  return h(
    "div",
    { className: "buttons" },
    h("button", { type: "button", dataset: { format: `${prefix}csv` }, onclick: fetchFile("csv") }, t(`${keys}.csv`)),
    h("button", { type: "button", dataset: { format: `${prefix}xlsx` }, onclick: fetchFile("xlsx") }, t(`${keys}.xlsx`)),
  );
}

function charts(month) {
  const figure = (path, caption) => {
    const holder = h("figure", {}, h("figcaption", {}, caption));
    busyUntil(holder, api.blob(path).then((blob) => {
      const src = URL.createObjectURL(blob);
      objectUrls.push(src);
      holder.prepend(h("img", { src, alt: caption }));
    }).catch(() => holder.append(h("p", {}, "—"))));
    return holder;
  };
  return h(
    "section",
    { className: "charts", "aria-label": t("reports.chart") },
    figure(`/staff/reports/${month}/chart.svg?lang=${lang()}`, t("reports.chart")),
    figure(`/staff/reports/trend/chart.svg?to=${month}&lang=${lang()}`, t("reports.trend")),
  );
}
