// One case: every field as the API shows it (masked where the role may not see who
// complained), deadlines with time left, the timeline, the allowed actions with their forms,
// and the files. A 409 (someone else changed the case) shows the new state and keeps the
// open form, with what was typed, for a retry.

import { ApiError, api } from "./api.js";
import { announce, busyUntil, h, replace, showFieldErrors } from "./dom.js";
import { label, t } from "./i18n.js";
import { fieldsFor, bodyFor } from "./view-action-fields.js";
import { deadlinesSection, detailsSection, complainantSection, handlingSection, filesSection } from "./view-facts.js";
import { findingSection, recusedNote } from "./view-finding.js";
import { historySection, lookupFor } from "./view-lookup.js";
import { deadlineBadges } from "./view-parts.js";
import { threadSection } from "./view-thread.js";
import { timelineSection } from "./view-timeline.js";

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
  busyUntil(talk, threadSection(c, refresh).then((section) => replace(talk, section)));
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
