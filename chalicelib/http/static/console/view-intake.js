// Staff intake: a complaint taken by phone, visit, letter, fax or e-mail, recorded through
// POST /staff/complaints; the number is shown large, to be read back to the caller.

import { ApiError, api } from "./api.js";
import * as auth from "./auth.js";
import { config } from "./config.js";
import { announce, field, h, replace, select, showFieldErrors } from "./dom.js";
import { fromOrgTime, label, lang, orgNow, t } from "./i18n.js";
import * as org from "./org.js";
import { casesList, contactKeys, findCases } from "./view-lookup.js";


const PREFERENCES = ["", "email", "sms", "phone", "none"];

function input(name, attrs = {}) {
  return h("input", { type: "text", name, ...attrs });
}

// Who is complained about: sent only when the agent named a department or a person.
function respondent(data) {
  const department = (data["respondent.department"] || "").trim();
  const person = (data["respondent.person"] || "").trim();
  if (!department && !person) return undefined;
  return { department: department || undefined, person: person || undefined };
}

function callerPanel() {
  return h(
    "section",
    { id: "caller-cases", "aria-labelledby": "caller-cases-title", hidden: true },
    h("h2", { id: "caller-cases-title" }, t("lookup.title")),
    h("p", { className: "hint" }, t("lookup.hint")),
    h("div", { className: "found", "aria-live": "polite" }),
  );
}

// Looks the caller up as soon as a phone number or e-mail is typed (after a pause), and
// shows their open cases; only the latest lookup's answer is drawn.
function watchCaller(form) {
  const panel = form.querySelector("#caller-cases");
  const found = panel.querySelector(".found");
  let timer = null;
  let latest = 0;
  const lookUp = async () => {
    const data = new FormData(form);
    const keys = contactKeys({ mobile: data.get("mobile"), office_phone: data.get("office_phone"), email: data.get("email") });
    const ticket = ++latest;
    if (!keys.length) {
      panel.hidden = true;
      return;
    }
    try {
      const items = await findCases(keys, null);
      if (ticket !== latest) return;
      replace(found, casesList(items, { openOnly: true }));
    } catch (error) {
      if (ticket !== latest) return;
      replace(found, h("p", {}, t("error.generic", { message: error.message })));
    }
    panel.hidden = false;
  };
  for (const name of ["mobile", "office_phone", "email"]) {
    form.querySelector(`[name=${name}]`).addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 400);
    });
  }
  form.addEventListener("reset", () => {
    latest += 1;
    panel.hidden = true;
  });
}

export async function render(main) {
  const who = auth.claims();
  const departments = who && !who.departments.includes("*") && !who.roles.includes("admin")
    ? org.codes("departments").filter((d) => who.departments.includes(d))
    : org.codes("departments");
  const categories = org.codes("categories");
  const received = h("input", { type: "datetime-local", name: "received_at", required: true, max: orgNow() });
  received.value = orgNow();
  const form = h(
    "form",
    { className: "intake", novalidate: false },
    h(
      "fieldset",
      {},
      h("legend", {}, t("intake.complaint")),
      field(t("field.channel"), select("channel", config.channels.map((c) => [c, label("channel", c)]), "phone", { required: true })),
      field(t("intake.received_at"), received, t("time.zone", { zone: config.timezone })),
      field(t("field.kind"), select("kind", ["complaint", "request", "suggestion", "inquiry", "misconduct_report"].map((k) => [k, label("kind", k)]), "complaint")),
      field(t("field.category"), select("category", categories.map((c) => [c, label("category", c)]), categories[0], { required: true })),
      field(t("field.department"), select("department", departments.map((d) => [d, label("department", d)]), departments[0])),
      field(t("field.subject"), input("subject", { required: true, maxlength: 200 })),
      field(t("field.description"), h("textarea", { name: "description", rows: 5, required: true, maxlength: 10000 })),
      field(t("field.desired_outcome"), h("textarea", { name: "desired_outcome", rows: 2, maxlength: 2000 })),
      field(t("field.people_affected"), h("input", { type: "number", name: "people_affected", min: 1, max: 100000, value: 1 })),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, t("field.respondent")),
      field(t("respondent.department"), input("respondent.department", { maxlength: 100, autocomplete: "off" })),
      field(t("respondent.person"), input("respondent.person", { maxlength: 100, autocomplete: "off" })),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, t("intake.complainant")),
      field(t("field.name"), input("name", { maxlength: 100, autocomplete: "off" })),
      field(t("field.mobile"), h("input", { type: "tel", name: "mobile", maxlength: 30, autocomplete: "off" })),
      field(t("field.office_phone"), h("input", { type: "tel", name: "office_phone", maxlength: 30, autocomplete: "off" })),
      field(t("field.email"), h("input", { type: "email", name: "email", maxlength: 254, autocomplete: "off" })),
      field(t("field.address"), input("address", { maxlength: 500, autocomplete: "off" })),
      field(t("field.contact_preference"), select("contact_preference", PREFERENCES.map((p) => [p, t(`preference.${p || "default"}`)]), "")),
      h("div", { className: "check" }, h("input", { type: "checkbox", name: "anonymous", id: "intake-anonymous" }), h("label", { for: "intake-anonymous" }, t("field.anonymous"))),
      h("div", { className: "check" }, h("input", { type: "checkbox", name: "confidential", id: "intake-confidential" }), h("label", { for: "intake-confidential" }, t("field.confidential"))),
    ),
    callerPanel(),
    h("div", { className: "buttons" }, h("button", { type: "submit", className: "primary" }, t("intake.save"))),
  );
  watchCaller(form);
  const result = h("div", { id: "intake-result" });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form).entries());
    const optional = (value) => (value ? value.trim() : undefined);
    const body = {
      channel: data.channel,
      received_at: fromOrgTime(data.received_at),
      kind: data.kind,
      category: data.category,
      department: data.department,
      subject: data.subject,
      description: data.description,
      desired_outcome: optional(data.desired_outcome),
      people_affected: Number(data.people_affected || 1),
      respondent: respondent(data),
      language: lang(),
      complainant: {
        name: optional(data.name),
        mobile: optional(data.mobile),
        office_phone: optional(data.office_phone),
        email: optional(data.email),
        address: optional(data.address),
        contact_preference: data.contact_preference || undefined,
        anonymous: data.anonymous === "on",
        confidential: data.confidential === "on",
      },
    };
    try {
      const receipt = await api.intake(body);
      replace(
        result,
        h(
          "div",
          { className: "receipt", role: "alert" },
          h("p", {}, t("intake.done")),
          h("p", { className: "number", id: "receipt-number", tabindex: "-1" }, receipt.number),
          h("p", {}, h("a", { href: `#/case/${encodeURIComponent(receipt.number)}` }, t("intake.open"))),
        ),
      );
      form.reset();
      // A new "now": the old bound would refuse a call taken after the page was drawn.
      received.max = orgNow();
      received.value = received.max;
      result.querySelector("#receipt-number").focus();
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        const fields = {};
        for (const [path, message] of Object.entries(error.fields)) fields[path.replace(/^complainant\./, "")] = message;
        showFieldErrors(form, fields);
        announce(`${t("form.invalid")} ${error.message}${fields.complainant ? ` — ${fields.complainant}` : ""}`, "error");
      } else {
        announce(t("form.error", { message: error.message }), "error");
      }
    }
  });
  replace(main, h("h1", { tabindex: "-1" }, t("intake.title")), h("p", {}, t("intake.intro")), result, form);
}
