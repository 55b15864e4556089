// A complainant's data on request (admin and quality): every complaint of a person found by
// their phone or e-mail (GET /staff/admin/subject-access), with what they submitted as the
// API returns it (its masking: a masked identity is shown as such, never filled in), the
// public messages, and the zipped export with their files to hand over. Each search and
// each download is audited by the server, without the key.

import { ApiError, api } from "./api.js";
import { announce, field, h, replace, showFieldErrors, uid } from "./dom.js";
import { dateTime, label, t } from "./i18n.js";
import { complainantFacts, list } from "./view-facts.js";

const PAGE = 10;

function message(item) {
  const from = item.direction === "outbound" ? `${label("role", item.from.role)} · ${label("department", item.from.department)}` : t("subject.from_them");
  return h("li", {}, h("time", { dateTime: item.at }, dateTime(item.at)), ` · ${from}: `, item.text);
}

function files(list) {
  if (!list.length) return h("p", {}, t("case.noattachments"));
  return h("ul", {}, list.map((file) => h("li", {}, `${file.filename} (${Math.ceil(file.size_bytes / 1024)} KB)`)));
}

// One complaint: its own headed section (ids made unique: a page shows several).
function complaintSection(item) {
  const title = uid("subject-case");
  const d = item.submitted;
  const survey = item.survey ? `${item.survey.score}/5${item.survey.comment ? ` · ${item.survey.comment}` : ""}` : "";
  return h(
    "section",
    { className: "subject-case", "aria-labelledby": title, dataset: { number: item.number } },
    h("h2", { id: title }, t("case.title", { number: item.number })),
    list([
      ["field.status", label("status", item.status)],
      ["field.category", label("category", item.category)],
      ["field.department", label("department", item.department)],
      ["field.channel", label("channel", item.channel)],
      ["field.received_at", dateTime(item.received_at)],
      ["subject.closed_at", item.closed_at ? dateTime(item.closed_at) : ""],
      ["field.subject", d.subject],
      ["field.description", d.description],
      ["field.desired_outcome", d.desired_outcome],
      ["field.survey", survey],
    ]),
    h("h3", {}, t("case.complainant")),
    complainantFacts(d.complainant || {}),
    h("h3", {}, t("case.attachments")),
    files(item.files),
    h("h3", {}, t("subject.messages")),
    item.messages.length ? h("ol", { className: "subject-messages" }, item.messages.map(message)) : h("p", {}, t("subject.no_messages")),
  );
}

function failure(error) {
  if (error instanceof ApiError && error.status === 403) return t("subject.forbidden");
  if (error instanceof ApiError && error.status === 400) return t("subject.invalid");
  return t("error.generic", { message: error.message });
}

// The browser saves the zip the server made (its name from Content-Disposition).
async function download(params) {
  const response = await api.subjectExport(params);
  const disposition = response.headers.get("Content-Disposition") || "";
  const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || "subject-access.zip";
  const link = h("a", { href: URL.createObjectURL(await response.blob()), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  return name;
}

export async function render(main, _arg, { stillCurrent }) {
  const phone = h("input", { type: "tel", name: "phone", autocomplete: "off", inputMode: "tel" });
  const email = h("input", { type: "email", name: "email", autocomplete: "off" });
  const form = h(
    "form",
    { className: "filters subject-search", noValidate: true, "aria-label": t("subject.search") },
    field(t("subject.phone"), phone, t("subject.one_key")),
    field(t("subject.email"), email),
    h("div", { className: "buttons" }, h("button", { type: "submit" }, t("subject.find"))),
  );
  const results = h("div", { className: "subject-results", "aria-live": "polite" });
  const more = h("div", { className: "buttons" });
  replace(main, h("h1", { tabindex: "-1" }, t("subject.title")), h("p", {}, t("subject.intro")), form, results, more);

  let params = null;
  async function page(cursor) {
    let answer;
    try {
      answer = await api.subjectAccess({ ...params, limit: PAGE, cursor });
    } catch (error) {
      if (!stillCurrent()) return;
      showFieldErrors(form, error instanceof ApiError ? error.fields : {});
      announce(failure(error), "error");
      return;
    }
    if (!stillCurrent()) return;
    showFieldErrors(form, {});
    if (!cursor) {
      const exportButton = h("button", { type: "button", onclick: () => saveExport(exportButton) }, t("subject.download"));
      replace(
        results,
        h("p", { className: "subject-summary" }, t(answer.items.length ? "subject.found" : "subject.none", { count: answer.items.length })),
        answer.items.length ? h("div", { className: "buttons" }, exportButton) : null,
      );
    }
    results.append(...answer.items.map(complaintSection));
    replace(more, answer.next_cursor ? h("button", { type: "button", onclick: () => page(answer.next_cursor) }, t("subject.more")) : []);
  }

  async function saveExport(button) {
    button.disabled = true;
    try {
      const name = await download(params);
      announce(t("subject.downloaded", { name }));
    } catch (error) {
      announce(failure(error), "error");
    } finally {
      button.disabled = false;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    params = { phone: phone.value.trim(), email: email.value.trim() };
    announce("");
    replace(results);
    replace(more);
    page(undefined);
  });
}
