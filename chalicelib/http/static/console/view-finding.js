// The finding (核实是否属实, 有效投诉, 责任认定, 处理意见): its part of the resolve form, with
// the respondent named at intake offered as the responsible party, and its part of the case
// page. The API masks the person for those who may not see who (handlers): shown as such.

import { field, h, select } from "./dom.js";
import { label, t } from "./i18n.js";
import * as org from "./org.js";

const SUBSTANTIATED = ["yes", "partly", "no"];

// Fields named by the API's paths, so a 400 shows next to the field it names.
export function findingFields(c) {
  const required = c.data.kind === "complaint";
  const respondent = c.data.respondent || {};
  const departments = org.codes("departments", true); // the settings' (retired ones too)
  const department = departments.includes(respondent.department) ? respondent.department : "";
  const person = h("input", { type: "text", name: "finding.responsible.person", maxlength: 100 });
  person.value = respondent.person || "";
  const valid = h("input", { type: "checkbox", name: "finding.valid", value: "true", id: "finding-valid" });
  const choices = [["", required ? t("form.pick") : t("finding.none")], ...SUBSTANTIATED.map((s) => [s, label("substantiated", s)])];
  const substantiated = select("finding.substantiated", choices, "", { required });
  const fixValid = () => {
    const no = substantiated.value === "no";
    if (no) valid.checked = false;
    valid.disabled = no; // not substantiated is never valid
  };
  substantiated.addEventListener("change", fixValid);
  return h(
    "fieldset",
    { className: "finding" },
    h("legend", {}, t("case.finding")),
    field(required ? t("form.required", { label: t("finding.substantiated") }) : t("finding.substantiated"), substantiated),
    h("div", { className: "field" }, h("label", { for: "finding-valid" }, valid, " ", t("finding.valid"))),
    field(t("finding.responsible"), select("finding.responsible.department", [["", t("finding.nobody")], ...departments.map((d) => [d, label("department", d)])], department), t("finding.responsible.hint")),
    field(t("finding.person"), person),
    field(t("finding.action"), h("textarea", { name: "finding.action", rows: 2, maxlength: 2000 }), t("finding.action.hint")),
  );
}

// The form's finding as the API takes it, or undefined when none was chosen.
export function readFinding(form) {
  const value = (name) => (form.querySelector(`[name="${name}"]`)?.value || "").trim();
  const substantiated = value("finding.substantiated");
  if (!substantiated) return undefined;
  const finding = { substantiated, valid: form.querySelector('[name="finding.valid"]').checked };
  const department = value("finding.responsible.department");
  if (department) {
    finding.responsible = { department };
    const person = value("finding.responsible.person");
    if (person) finding.responsible.person = person;
  }
  const action = value("finding.action");
  if (action) finding.action = action;
  return finding;
}

export function findingSection(c) {
  const f = c.finding;
  if (!f) return null;
  const responsible = f.responsible || {};
  const facts = [
    ["finding.substantiated", label("substantiated", f.substantiated)],
    ["finding.valid", f.valid ? t("yes") : t("no")],
    ["finding.responsible", responsible.department ? label("department", responsible.department) : ""],
    ["finding.person", responsible.person],
    ["finding.action", f.action],
  ].filter(([, v]) => v);
  return h(
    "section",
    { "aria-labelledby": "finding-title", className: f.masked ? "finding masked" : "finding", dataset: { finding: f.substantiated } },
    h("h2", { id: "finding-title" }, t("case.finding")),
    h("p", { className: "note" }, t("finding.internal")),
    f.masked ? h("p", { className: "note", dataset: { masked: "true" } }, t("finding.masked")) : null,
    h("dl", { className: "facts" }, facts.map(([key, v]) => [h("dt", {}, t(key)), h("dd", {}, v)])),
  );
}

// Who must stay out of the case (回避): shown, and never offered as the assignee.
export function recusedNote(c) {
  if (!c.recused || !c.recused.length) return null;
  const items = c.recused.map((r) => h("li", {}, `${r.user_id}: ${r.reason === "respondent" ? t("recused.respondent") : r.reason}`));
  return h("section", { "aria-labelledby": "recused-title", className: "recused" }, h("h2", { id: "recused-title" }, t("case.recused")), h("ul", {}, items));
}

// The mark-conflict form: a member of staff (from the directory) and the reason.
export function conflictFields(directory) {
  const choices = directory.people.map((p) => [p.user_id, `${p.name} (${p.user_id})`]);
  return [
    field(t("conflict.person"), select("user_id", [["", t("form.pick")], ...choices], "", { required: true })),
    field(t("form.required", { label: t("form.reason") }), h("textarea", { name: "reason", rows: 2, required: true, maxlength: 1000 })),
  ];
}
