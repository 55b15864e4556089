// What a case holds, as the case page shows it: its deadlines with the time left, its
// details, the complainant (masked where the role may not see who complained), the
// handling record and the files.

import { h, scrollable, titledSection } from "./dom.js";
import { dateTime, hours, label, t } from "./i18n.js";
import { deadlineBadges } from "./view-parts.js";

export function list(pairs) {
  return h(
    "dl",
    { className: "facts" },
    pairs.filter(([, value]) => value !== undefined && value !== null && value !== "").map(([key, value]) => [h("dt", {}, t(key)), h("dd", {}, value)]),
  );
}

export function yesNo(value) {
  return value ? t("yes") : t("no");
}

export function deadlinesSection(c) {
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
  return titledSection(
    "deadlines",
    t("case.deadlines"),
    {},
    c.clock && c.clock.escalation_level ? h("p", {}, deadlineBadges({ escalation_level: c.clock.escalation_level }, null)) : null,
    h("div", scrollable(t("case.deadlines")), h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("col.deadline")), h("th", { scope: "col" }, t("col.due")), h("th", { scope: "col" }, t("field.left")))), h("tbody", {}, rows))),
  );
}

export function detailsSection(c) {
  const d = c.data;
  const respondent = d.respondent ? [d.respondent.department, d.respondent.person].filter(Boolean).join(" · ") : "";
  const product = d.product ? Object.values(d.product).filter(Boolean).join(" · ") : "";
  const location = d.location ? [d.location.address_string, d.location.lat != null ? `${d.location.lat}, ${d.location.long}` : ""].filter(Boolean).join(" · ") : "";
  const extension = c.extension ? `${c.extension.status}: ${dateTime(c.extension.new_due)} — ${c.extension.reason}` : "";
  const survey = c.survey ? `${c.survey.score}/5 · ${yesNo(c.survey.solved)}${c.survey.comment ? ` · ${c.survey.comment}` : ""}` : "";
  return titledSection(
    "details",
    t("case.details"),
    {},
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

export function complainantSection(c) {
  const who = c.data.complainant;
  return titledSection("complainant", t("case.complainant"), { className: who.masked ? "masked" : "" }, complainantFacts(who));
}

// Who complained, as the API returns it: a masked identity is said to be masked, never filled in.
export function complainantFacts(who) {
  return [
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
  ];
}

export function handlingSection(c) {
  const record = c.handling || {};
  const parts = (record.parts_used || []).map((p) => `${p.name} × ${p.quantity}`).join(", ");
  return titledSection(
    "handling",
    t("case.handling"),
    {},
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

export function filesSection(files) {
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
  return titledSection(
    "files",
    t("case.attachments"),
    {},
    items.length ? h("ul", {}, items) : h("p", {}, t("case.noattachments")),
  );
}
