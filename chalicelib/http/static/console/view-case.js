// One case: every field as the API shows it (masked where the role may not see who
// complained), deadlines with time left, the timeline, the allowed actions with their forms,
// and the files. A 409 (someone else changed the case) shows the new state and keeps the
// open form, with what was typed, for a retry.

import { ApiError, api } from "./api.js";
import { config } from "./config.js";
import { announce, field, h, replace, scrollable, select, showFieldErrors } from "./dom.js";
import { dateTime, fromOrgTime, hours, label, t } from "./i18n.js";
import * as org from "./org.js";
import { historySection, lookupFor } from "./view-lookup.js";
import { conflictFields, findingFields, findingSection, readFinding, recusedNote } from "./view-finding.js";
import { deadlineBadges } from "./view-parts.js";
import { threadSection } from "./view-thread.js";

let others = { number: null, pending: null }; // this visit's lookup of the complainant

const SEGMENTS = {
  accept: "accept", refuse: "refuse", transfer: "transfer", assign: "assign", start: "start",
  wait: "wait", resume: "resume", record_handling: "handling", resolve: "resolve", close: "close",
  reopen: "reopen", add_note: "notes", request_extension: "extension-request",
  decide_extension: "extension-decision", change_grade: "grade", mark_conflict: "conflicts",
};
// The order buttons appear in: the usual next step first.
const ORDER = Object.keys(SEGMENTS);

export async function render(main, number, { stillCurrent }) {
  const state = await load(number);
  if (!stillCurrent()) return;
  others = { number, pending: lookupFor(state.complaint) };
  draw(main, state, null);
}

async function load(number) {
  const [{ data, etag }, history, files] = await Promise.all([
    api.complaint(number),
    api.history(number),
    api.attachments(number).catch(() => ({ items: [] })),
  ]);
  return { complaint: data, etag, history: history.items, files: files.items };
}

// `open`: {action, form, message} of a form to keep open (after a conflict).
function draw(main, state, open) {
  const c = state.complaint;
  const talk = h("div", { id: "thread-slot" });
  const heading = h("h1", { tabindex: "-1" }, t("case.title", { number: c.number }));
  const summary = h(
    "p",
    { className: "summary" },
    h("span", { className: `pill status-${c.status}` }, label("status", c.status)),
    " ",
    h("span", { className: "pill" }, `${t("field.grade")} ${c.grade}`),
    " ",
    deadlineBadges(c.clock, c.clock && c.clock.nearest ? c.clock.deadlines[c.clock.nearest] : null),
  );
  replace(
    main,
    h("p", {}, h("a", { href: "#/" }, t("case.back"))),
    heading,
    h("p", { className: "subject" }, c.data.subject),
    summary,
    actionsSection(main, state, open),
    h("div", { className: "columns" }, h("div", {}, deadlinesSection(c), detailsSection(c), recusedNote(c)), h("div", {}, complainantSection(c), handlingSection(c), findingSection(c), filesSection(state.files))),
    historySection(c, others.number === c.number ? others.pending : null),
    talk,
    timelineSection(state.history),
  );
  const refresh = async (message) => {
    draw(main, await load(c.number), null);
    announce(message, "ok");
  };
  threadSection(c, refresh).then((section) => replace(talk, section));
}

// -- actions ------------------------------------------------------------------------------

function actionsSection(main, state, open) {
  const c = state.complaint;
  const slot = h("div", { className: "action-form" });
  const allowed = ORDER.filter((action) => c.allowed_actions.includes(action));
  const buttons = allowed.map((action) =>
    h(
      "button",
      {
        type: "button",
        dataset: { action },
        "aria-expanded": open && open.action === action ? "true" : "false",
        onclick: (event) => {
          for (const other of event.currentTarget.parentElement.querySelectorAll("button")) other.setAttribute("aria-expanded", "false");
          event.currentTarget.setAttribute("aria-expanded", "true");
          const form = actionForm(main, state, action);
          replace(slot, form);
          form.querySelector("input, select, textarea, button").focus();
        },
      },
      t(`action.${action}`),
    ),
  );
  if (open) {
    const parts = [];
    if (open.message) parts.push(h("p", { className: "conflict", role: "alert" }, open.message));
    parts.push(open.form);
    replace(slot, parts);
    open.form.onsubmitState = state; // the retry uses the new ETag
  }
  return h(
    "section",
    { "aria-labelledby": "actions-title", className: "actions" },
    h("h2", { id: "actions-title" }, t("case.actions")),
    allowed.length ? h("div", { className: "buttons" }, buttons) : h("p", {}, t("case.noactions")),
    slot,
  );
}

function text(name, key, { required = false, multiline = false, value = "" } = {}) {
  const control = multiline
    ? h("textarea", { name, rows: 3, required, maxlength: 5000 })
    : h("input", { type: "text", name, required, maxlength: 1000 });
  control.value = value || "";
  return field(required ? t("form.required", { label: t(key) }) : t(key), control);
}

function partsEditor(parts) {
  const list = h("ol", { className: "parts" });
  const add = (part = { name: "", quantity: 1 }) => {
    const name = h("input", { type: "text", name: "part_name", maxlength: 200 });
    name.value = part.name;
    const quantity = h("input", { type: "number", name: "part_quantity", min: 1, max: 100000, step: 1 });
    quantity.value = String(part.quantity);
    list.append(h("li", {}, field(t("form.part.name"), name), field(t("form.part.quantity"), quantity)));
  };
  for (const part of parts || []) add(part);
  return h(
    "fieldset",
    {},
    h("legend", {}, t("field.parts_used")),
    list,
    h("button", { type: "button", onclick: () => { add(); list.lastElementChild.querySelector("input").focus(); } }, t("form.part.add")),
  );
}

function readParts(form) {
  const names = [...form.querySelectorAll("[name=part_name]")];
  const quantities = [...form.querySelectorAll("[name=part_quantity]")];
  return names
    .map((input, index) => ({ name: input.value.trim(), quantity: Number(quantities[index].value || 1) }))
    .filter((part) => part.name);
}

function fieldsFor(action, c, directory) {
  const note = () => text("note", "form.note");
  switch (action) {
    case "refuse": case "wait": case "reopen":
      return [text("reason", "form.reason", { required: true, multiline: true })];
    case "transfer":
      return [
        field(t("form.to"), select("to", [["", t("form.pick")], ...org.codes("departments").filter((d) => d !== c.department).map((d) => [d, label("department", d)])], "", { required: true })),
        text("reason", "form.reason", { required: true, multiline: true }),
      ];
    case "assign": {
      const people = directory.people.filter((p) => p.roles.some((r) => ["handler", "supervisor", "manager"].includes(r)));
      const choices = people.map((p) => [p.user_id, `${p.name} (${p.user_id}, ${p.roles.map((r) => label("role", r)).join("/")})`]);
      return [field(t("form.handler"), select("handler", [["", t("form.pick")], ...choices], c.assignee || "", { required: true }))];
    }
    case "record_handling": case "resolve": {
      const record = c.handling || {};
      const required = action === "resolve";
      return [
        text("root_cause", "field.root_cause", { required, multiline: true, value: record.root_cause }),
        text("solution", "field.solution", { required, multiline: true, value: record.solution }),
        text("result", "field.result", { required, multiline: true, value: record.result }),
        partsEditor(record.parts_used),
        required ? findingFields(c) : null,
      ];
    }
    case "mark_conflict":
      return conflictFields(directory);
    case "add_note":
      return [text("text", "form.text", { required: true, multiline: true })];
    case "request_extension":
      return [
        text("reason", "form.reason", { required: true, multiline: true }),
        field(t("form.new_due"), h("input", { type: "datetime-local", name: "new_due", required: true }), t("time.zone", { zone: config.timezone })),
      ];
    case "decide_extension": {
      const yes = h("input", { type: "radio", name: "approve", value: "true", id: "approve-yes", required: true });
      const no = h("input", { type: "radio", name: "approve", value: "false", id: "approve-no" });
      return [
        h("fieldset", {}, h("legend", {}, t("form.approve")), h("label", { for: "approve-yes" }, yes, t("form.approve.yes")), h("label", { for: "approve-no" }, no, t("form.approve.no"))),
        note(),
      ];
    }
    case "change_grade":
      return [
        field(t("form.grade"), select("grade", config.grades.map((g) => [g, g]), c.grade)),
        text("reason", "form.reason", { required: true, multiline: true }),
      ];
    default:
      return [note()];
  }
}

function bodyFor(action, form) {
  const data = Object.fromEntries(new FormData(form).entries());
  const clean = (value) => (value === undefined || value === "" ? undefined : value);
  switch (action) {
    case "refuse": case "wait": case "reopen": return { reason: data.reason };
    case "transfer": return { to: data.to, reason: data.reason };
    case "assign": return { handler: data.handler };
    case "record_handling": case "resolve": {
      const body = { root_cause: clean(data.root_cause), solution: clean(data.solution), result: clean(data.result) };
      const parts = readParts(form);
      if (parts.length) body.parts_used = parts;
      if (action === "resolve") body.finding = readFinding(form);
      return body;
    }
    case "add_note": return { text: data.text };
    case "request_extension": return { reason: data.reason, new_due: fromOrgTime(data.new_due) };
    case "decide_extension": return { approve: data.approve === "true", note: clean(data.note) };
    case "change_grade": return { grade: data.grade, reason: data.reason };
    case "mark_conflict": return { user_id: data.user_id, reason: data.reason };
    default: return data.note ? { note: data.note } : {};
  }
}

function actionForm(main, state, action) {
  const c = state.complaint;
  const form = h("form", { className: "card", dataset: { action }, novalidate: false });
  form.onsubmitState = state;
  const build = (directory) => {
    replace(
      form,
      h("h3", {}, t(`action.${action}`)),
      fieldsFor(action, c, directory),
      h(
        "div",
        { className: "buttons" },
        h("button", { type: "submit", className: "primary" }, t("case.submit")),
        h("button", { type: "button", onclick: () => draw(main, form.onsubmitState, null) }, t("case.cancel")),
      ),
    );
  };
  build({ people: [] });
  if (action === "assign" || action === "mark_conflict") {
    // Assignee suggestions leave out those recused from the case (?case=).
    const name = action === "assign" ? "handler" : "user_id";
    api.directory(c.department, action === "assign" ? c.number : undefined).then((directory) => {
      const kept = form.querySelector(`[name=${name}]`).value;
      build(directory);
      if (kept) form.querySelector(`[name=${name}]`).value = kept;
    }).catch((error) => announce(t("form.error", { message: error.message }), "error"));
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const current = form.onsubmitState;
    const submit = form.querySelector("[type=submit]");
    submit.disabled = true;
    try {
      const { data, etag } = await api.act(current.complaint.number, SEGMENTS[action], bodyFor(action, form), current.etag);
      const history = await api.history(data.number);
      const next = { ...current, complaint: data, etag, history: history.items };
      draw(main, next, null);
      announce(t("case.done", { action: t(`action.${action}`) }), "ok");
      main.querySelector("h1").focus();
    } catch (error) {
      submit.disabled = false;
      if (error instanceof ApiError && error.status === 409) {
        const fresh = await load(current.complaint.number);
        draw(main, fresh, { action, form, message: t("case.conflict") });
        announce(t("case.conflict"), "error");
        form.querySelector("input, select, textarea").focus();
      } else if (error instanceof ApiError && error.status === 400) {
        showFieldErrors(form, error.fields);
        announce(`${t("form.invalid")} ${error.message}`, "error");
      } else {
        announce(t("form.error", { message: error.message }), "error");
      }
    }
  });
  return form;
}

// -- what the case holds ------------------------------------------------------------------

function list(pairs) {
  return h(
    "dl",
    { className: "facts" },
    pairs.filter(([, value]) => value !== undefined && value !== null && value !== "").map(([key, value]) => [h("dt", {}, t(key)), h("dd", {}, value)]),
  );
}

function yesNo(value) {
  return value ? t("yes") : t("no");
}

function deadlinesSection(c) {
  const clock = (c.clock && c.clock.deadlines) || {};
  const rows = Object.entries(c.deadlines).map(([name, deadline]) => {
    const left = clock[name];
    let state = deadline.met_at ? t("deadline.met", { at: dateTime(deadline.met_at) }) : "";
    if (left) state = left.overdue ? t("left.overdue", { hours: hours(left.working_hours_left) }) : t("left.hours", { hours: hours(left.working_hours_left) });
    return h(
      "tr",
      { dataset: { deadline: name } },
      h("th", { scope: "row" }, t(`deadline.${name}`)),
      h("td", {}, dateTime(deadline.due)),
      h("td", {}, state, " ", left ? deadlineBadges(null, left) : ""),
    );
  });
  return h(
    "section",
    { "aria-labelledby": "deadlines-title" },
    h("h2", { id: "deadlines-title" }, t("case.deadlines")),
    c.clock && c.clock.escalation_level ? h("p", {}, deadlineBadges({ escalation_level: c.clock.escalation_level }, null)) : null,
    h("div", scrollable(t("case.deadlines")), h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("col.deadline")), h("th", { scope: "col" }, t("col.due")), h("th", { scope: "col" }, t("field.left")))), h("tbody", {}, rows))),
  );
}

function detailsSection(c) {
  const d = c.data;
  const respondent = d.respondent ? [d.respondent.department, d.respondent.person].filter(Boolean).join(" · ") : "";
  const product = d.product ? Object.values(d.product).filter(Boolean).join(" · ") : "";
  const location = d.location ? [d.location.address_string, d.location.lat != null ? `${d.location.lat}, ${d.location.long}` : ""].filter(Boolean).join(" · ") : "";
  const extension = c.extension ? `${c.extension.status}: ${dateTime(c.extension.new_due)} — ${c.extension.reason}` : "";
  const survey = c.survey ? `${c.survey.score}/5 · ${yesNo(c.survey.solved)}${c.survey.comment ? ` · ${c.survey.comment}` : ""}` : "";
  return h(
    "section",
    { "aria-labelledby": "details-title" },
    h("h2", { id: "details-title" }, t("case.details")),
    list([
      ["field.number", c.number],
      ["field.status", label("status", c.status)],
      ["field.kind", label("kind", d.kind)],
      ["field.category", label("category", d.category)],
      ["field.channel", label("channel", c.channel)],
      ["field.received_at", dateTime(c.received_at)],
      ["field.department", label("department", c.department)],
      ["field.assignee", c.assignee],
      ["field.grade", c.grade],
      ["field.severity", label("severity", d.severity)],
      ["field.priority", label("priority", d.priority)],
      ["field.people_affected", d.people_affected],
      ["field.description", d.description],
      ["field.desired_outcome", d.desired_outcome],
      ["field.respondent", respondent],
      ["field.product", product],
      ["field.location", location],
      ["field.required_completion_date", d.required_completion_date],
      ["field.refusal_reason", c.refusal_reason],
      ["field.transferred_to", c.transferred_to],
      ["field.related_to", c.related_to],
      ["field.extension", extension],
      ["field.survey", survey],
      ["field.version", c.version],
    ]),
  );
}

function complainantSection(c) {
  const who = c.data.complainant;
  return h(
    "section",
    { "aria-labelledby": "complainant-title", className: who.masked ? "masked" : "" },
    h("h2", { id: "complainant-title" }, t("case.complainant")),
    who.masked ? h("p", { className: "note", dataset: { masked: "true" } }, t("masked")) : null,
    list([
      ["field.name", who.name],
      ["field.mobile", who.mobile],
      ["field.office_phone", who.office_phone],
      ["field.email", who.email],
      ["field.address", who.address],
      ["field.organisation", who.organisation],
      ["field.contact_preference", who.contact_preference ? t(`preference.${who.contact_preference}`) : ""],
      ["field.anonymous", yesNo(who.anonymous)],
      ["field.confidential", yesNo(who.confidential)],
    ]),
  );
}

function handlingSection(c) {
  const record = c.handling || {};
  const parts = (record.parts_used || []).map((p) => `${p.name} × ${p.quantity}`).join(", ");
  return h(
    "section",
    { "aria-labelledby": "handling-title" },
    h("h2", { id: "handling-title" }, t("case.handling")),
    list([
      ["field.root_cause", record.root_cause],
      ["field.solution", record.solution],
      ["field.result", record.result],
      ["field.parts_used", parts],
      ["field.actual_start", dateTime(record.actual_start)],
      ["field.actual_finish", dateTime(record.actual_finish)],
    ]),
  );
}

function filesSection(files) {
  const items = files.map((file) =>
    h(
      "li",
      {},
      file.download_url
        ? h("a", { href: file.download_url, download: file.filename, rel: "noopener" }, t("case.download", { name: file.filename }))
        : [file.filename, " ", t("case.notuploaded")],
      ` (${Math.ceil(file.size_bytes / 1024)} KB)`,
    ),
  );
  return h(
    "section",
    { "aria-labelledby": "files-title" },
    h("h2", { id: "files-title" }, t("case.attachments")),
    items.length ? h("ul", {}, items) : h("p", {}, t("case.noattachments")),
  );
}

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

function timelineSection(history) {
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
