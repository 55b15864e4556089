// The organisation's settings (admins): categories and departments with both names,
// deadlines per grade, business hours, quiet hours and extra days (调休), callbacks and SMS,
// the monthly report, requests for information and retention. One form, saved whole with the ETag read (PUT /staff/admin/settings); the
// server's 400 names every bad field, shown next to it and in a list at the top.

import { ApiError, request } from "./api.js";
import { announce, field, h, replace, select } from "./dom.js";
import { t } from "./i18n.js";
import * as org from "./org.js";

const GRADES = ["A", "B", "C", "D"];
const LIMITS = [
  "acceptance_days", "first_contact_hours", "resolution_days", "follow_up_delay_days",
  "follow_up_reply_days", "extension_cap_days", "callback_delay_days", "info_request_days",
];
const SLOTS = ["morning", "afternoon", "evening"];
const CLOCK = "([01][0-9]|2[0-3]):[0-5][0-9]";

function clock(name, value, labelKey) {
  return field(t(labelKey), input(name, value, { pattern: CLOCK, placeholder: "09:00", inputmode: "numeric", maxlength: 5, size: 5, required: true }));
}

// Business hours, the complainants' quiet hours (none of their own: outside business
// hours) and the extra days off and working days, one date a line.
function calendar(settings) {
  const quiet = settings.quiet_hours;
  const hours = h(
    "div",
    { className: "quiet-window", hidden: !quiet },
    clock("quiet_hours.start", quiet ? quiet.start : "21:00", "settings.hours_from"),
    clock("quiet_hours.end", quiet ? quiet.end : "08:00", "settings.hours_to"),
  );
  const mode = select("quiet_mode", [["business", t("settings.quiet_business")], ["window", t("settings.quiet_window")]], quiet ? "window" : "business");
  mode.addEventListener("change", () => { hours.hidden = mode.value !== "window"; });
  const days = (name) => h("textarea", { name, rows: 3, placeholder: "2026-10-08" }, settings[name].join("\n"));
  return h(
    "fieldset",
    {},
    h("legend", {}, t("settings.calendar")),
    h("p", { className: "hint" }, t("settings.hours_note")),
    h(
      "fieldset",
      { className: "hours" },
      h("legend", {}, t("settings.business_hours")),
      clock("business_hours.start", settings.business_hours.start, "settings.hours_from"),
      clock("business_hours.end", settings.business_hours.end, "settings.hours_to"),
    ),
    h("fieldset", { className: "hours" }, h("legend", {}, t("settings.quiet_hours")), field(t("settings.quiet_when"), mode, t("settings.quiet_note")), hours),
    field(t("settings.extra_days_off"), days("extra_days_off")),
    field(t("settings.extra_working_days"), days("extra_working_days"), t("settings.days_note")),
  );
}

function input(name, value, attrs = {}) {
  return h("input", { name, value: value ?? "", ...attrs });
}

function number(name, value, attrs = {}) {
  return input(name, value, { type: "number", step: attrs.step || "1", inputmode: "numeric", ...attrs });
}

// One row per category or department; a saved code cannot change (cases keep it).
function entryRow(kind, entry, index, saved) {
  const prefix = `${kind}.${index}`;
  const label = (key) => ({ "aria-label": `${t(key)} ${index + 1}` });
  const code = input(`${prefix}.code`, entry.code, { required: true, pattern: "[a-z][a-z0-9_]{0,49}", maxlength: 50, ...label("settings.code") });
  if (saved) code.readOnly = true;
  return h(
    "tr",
    { dataset: { kind } },
    h("td", {}, code),
    h("td", {}, input(`${prefix}.name_zh`, entry.name_zh, { required: true, maxlength: 60, lang: "zh-CN", ...label("settings.name_zh") })),
    h("td", {}, input(`${prefix}.name_en`, entry.name_en, { required: true, maxlength: 60, lang: "en", ...label("settings.name_en") })),
    h("td", {}, h("input", { type: "checkbox", name: `${prefix}.active`, checked: entry.active !== false, ...label("settings.active") })),
  );
}

function entries(kind, list, savedCodes, addKey) {
  const body = h("tbody", {}, list.map((entry, i) => entryRow(kind, entry, i, savedCodes.has(entry.code))));
  const add = h("button", {
    type: "button",
    onclick: () => {
      const row = entryRow(kind, { code: "", name_zh: "", name_en: "", active: true }, body.rows.length, false);
      body.append(row);
      row.querySelector("input").focus();
    },
  }, t(addKey));
  const head = ["settings.code", "settings.name_zh", "settings.name_en", "settings.active"];
  return h(
    "fieldset",
    { className: "settings-entries" },
    h("legend", {}, t(`settings.${kind}`)),
    h("p", { className: "hint", id: `${kind}-code-hint` }, t("settings.code_hint")),
    h("div", { className: "table-wrap" }, h("table", {}, h("thead", {}, h("tr", {}, head.map((key) => h("th", { scope: "col" }, t(key))))), body)),
    h("div", { className: "buttons" }, add),
  );
}

function slaTable(sla) {
  return h(
    "fieldset",
    {},
    h("legend", {}, t("settings.sla")),
    h("div", { className: "table-wrap" }, h(
      "table",
      { className: "sla" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("settings.grade")), LIMITS.map((key) => h("th", { scope: "col" }, t(`sla.${key}`))))),
      h("tbody", {}, GRADES.map((grade) => h(
        "tr",
        {},
        h("th", { scope: "row" }, grade),
        LIMITS.map((key) => h("td", {}, number(`sla.${grade}.${key}`, (sla[grade] || {})[key], {
          required: true, min: 0, step: key.endsWith("_hours") ? "0.5" : "1", "aria-label": `${grade} ${t(`sla.${key}`)}`,
        }))),
      ))),
    )),
  );
}

function form(settings) {
  const saved = (kind) => new Set(settings[kind].map((e) => e.code));
  const departments = settings.departments.filter((d) => d.active).map((d) => [d.code, `${d.name_zh} / ${d.name_en}`]);
  return h(
    "form",
    { className: "settings", novalidate: true },
    entries("categories", settings.categories, saved("categories"), "settings.add_category"),
    entries("departments", settings.departments, saved("departments"), "settings.add_department"),
    h("p", { className: "hint" }, t("settings.retire_note")),
    field(t("settings.default_department"), select("default_department", departments, settings.default_department)),
    slaTable(settings.sla),
    calendar(settings),
    h(
      "fieldset",
      {},
      h("legend", {}, t("settings.phone")),
      h("fieldset", { className: "choices" }, h("legend", {}, t("settings.callback_slots")), SLOTS.map((slot) => h(
        "label",
        {},
        h("input", { type: "checkbox", name: "callback_slots", value: slot, checked: settings.callback_slots.includes(slot) }),
        ` ${t(`slot.${slot}`)}`,
      ))),
      field(t("settings.sms_daily_cap"), number("sms_daily_cap", settings.sms_daily_cap, { min: 0, required: true })),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, t("settings.report")),
      field(t("settings.report_recipients"), h("textarea", { name: "report_recipients", rows: 3 }, settings.report_recipients.join("\n"))),
      field(t("settings.report_language"), select("report_language", [["zh-CN", "中文"], ["en", "English"]], settings.report_language)),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, t("settings.info_request")),
      field(t("settings.info_request_expiry"), select("info_request_expiry", ["withdraw", "resume"].map((v) => [v, t(`expiry.${v}`)]), settings.info_request_expiry)),
    ),
    field(t("settings.retention_years"), number("retention_years", settings.retention_years, { min: 1, max: 30, required: true })),
    h("div", { className: "buttons" }, h("button", { type: "submit" }, t("settings.save"))),
  );
}

function rows(formEl, kind) {
  return [...formEl.querySelectorAll(`tr[data-kind="${kind}"]`)].map((row, index) => {
    const value = (name) => row.querySelector(`[name="${kind}.${index}.${name}"]`);
    return {
      code: value("code").value.trim(),
      name_zh: value("name_zh").value.trim(),
      name_en: value("name_en").value.trim(),
      active: value("active").checked,
    };
  });
}

function asNumber(text) {
  const trimmed = String(text).trim();
  return trimmed === "" || Number.isNaN(Number(trimmed)) ? trimmed : Number(trimmed);
}

export function bodyOf(formEl) {
  const el = formEl.elements;
  const text = (name) => el.namedItem(name).value.trim();
  const lines = (name) => el.namedItem(name).value.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
  const sla = Object.fromEntries(GRADES.map((grade) => [grade, Object.fromEntries(
    LIMITS.map((key) => [key, asNumber(el.namedItem(`sla.${grade}.${key}`).value)]),
  )]));
  return {
    categories: rows(formEl, "categories"),
    departments: rows(formEl, "departments"),
    default_department: el.namedItem("default_department").value,
    sla,
    callback_slots: [...formEl.querySelectorAll('[name="callback_slots"]:checked')].map((box) => box.value),
    sms_daily_cap: asNumber(el.namedItem("sms_daily_cap").value),
    report_recipients: lines("report_recipients"),
    report_language: el.namedItem("report_language").value,
    info_request_expiry: el.namedItem("info_request_expiry").value,
    retention_years: asNumber(el.namedItem("retention_years").value),
    business_hours: { start: text("business_hours.start"), end: text("business_hours.end") },
    quiet_hours: text("quiet_mode") === "window" ? { start: text("quiet_hours.start"), end: text("quiet_hours.end") } : null,
    extra_days_off: lines("extra_days_off"),
    extra_working_days: lines("extra_working_days"),
  };
}

// The control a field path names: itself, or the nearest one above it
// ("report_recipients.0" -> the recipients box, "categories" -> its first code).
function controlFor(formEl, path) {
  const parts = path.split(".");
  for (let n = parts.length; n > 0; n -= 1) {
    const name = parts.slice(0, n).join(".");
    const found = formEl.querySelector(`[name="${CSS.escape(name)}"]`) || formEl.querySelector(`[name^="${CSS.escape(name)}."]`);
    if (found) return found;
  }
  return null;
}

function showErrors(formEl, summary, fields) {
  for (const old of formEl.querySelectorAll(".field-error")) old.remove();
  for (const control of formEl.querySelectorAll("[aria-invalid]")) {
    control.removeAttribute("aria-invalid");
    control.removeAttribute("aria-describedby");
  }
  const items = [];
  for (const [path, message] of Object.entries(fields)) {
    const control = controlFor(formEl, path);
    const id = `error-${path.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
    items.push(h("li", {}, control ? h("a", { href: `#${control.id || ""}`, onclick: (e) => { e.preventDefault(); control.focus(); } }, `${path}: ${message}`) : `${path}: ${message}`));
    if (!control || control.getAttribute("aria-invalid")) continue;
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", id);
    const note = h("span", { className: "field-error", id }, message);
    (control.closest("td") || control.parentElement).append(note);
  }
  replace(summary, items.length ? [h("p", {}, t("settings.invalid", { count: items.length })), h("ul", {}, items)] : []);
  summary.hidden = !items.length;
  if (items.length) summary.focus();
}

export async function render(main, _arg, { stillCurrent, rerender }) {
  const { data, etag } = await request("GET", "/staff/admin/settings").catch((error) => {
    if (error instanceof ApiError && error.status === 403) return { data: null };
    throw error;
  });
  if (!stillCurrent()) return;
  if (!data) {
    replace(main, h("h1", { tabindex: "-1" }, t("settings.title")), h("p", { className: "error" }, t("settings.forbidden")));
    return;
  }
  const summary = h("div", { className: "error-summary", tabindex: "-1", role: "alert", hidden: true });
  const formEl = form(data);
  let current = etag;
  formEl.id = "settings-form";
  formEl.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const saved = await request("PUT", "/staff/admin/settings", { body: bodyOf(formEl), etag: current });
      current = saved.etag;
      await org.load({ force: true });
      announce(t("settings.saved", { version: saved.data.version }), "ok");
      rerender({ keepStatus: true, focusHeading: false });
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        showErrors(formEl, summary, error.fields);
      } else if (error instanceof ApiError && error.status === 409) {
        announce(t("settings.stale"), "error");
      } else {
        announce(t("error.generic", { message: error.message }), "error");
      }
    }
  });
  replace(main, h("h1", { tabindex: "-1" }, t("settings.title")), summary, formEl);
}
