// The fields of each action's form on the case page, and the request body read back
// from them.

import { config } from "./config.js";
import { field, h, select } from "./dom.js";
import { fromOrgTime, label, t } from "./i18n.js";
import * as org from "./org.js";
import { conflictFields, findingFields, readFinding } from "./view-finding.js";

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

export function fieldsFor(action, c, directory) {
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

export function bodyFor(action, form) {
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
