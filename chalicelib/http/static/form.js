// The complaint form: fill the choices, check the files, submit, show the receipt and upload.

import { api } from "./api.js";
import { Errors, problem } from "./errors.js";
import { label, lang, t } from "./i18n.js";
import { keep, trackUrl } from "./link.js";
import { config, onLanguage, start } from "./page.js";
import { checkFiles, uploadAll } from "./uploads.js";

const CHOICES = {
  kind: ["complaint", "request", "suggestion", "inquiry", "misconduct_report"],
  problem_type: ["", "appearance_defect", "functional_defect", "other"],
  severity: ["serious", "normal", "minor"],
  priority: ["high", "medium", "low"],
  contact_preference: ["", "email", "sms", "phone", "none"],
  category: config.categories || [],
  department: ["", ...(config.departments || [])],
};
const CONTACT = ["name", "mobile", "office_phone", "email", "address", "organisation", "contact_preference"];
const PRODUCT = ["name", "model", "serial_number", "batch", "shipment_number", "shipped_on"];
const TEXTS = ["kind", "category", "problem_type", "severity", "priority", "subject", "description",
  "desired_outcome", "department", "required_completion_date", "media_url"];

function fillChoices() {
  document.querySelectorAll("select[data-enum]").forEach((select) => {
    const name = select.dataset.enum;
    const current = select.value || select.dataset.default || "";
    const codes = CHOICES[name];
    select.replaceChildren(...codes.map((code) => new Option(label(name, code), code)));
    if (codes.includes(current)) select.value = current;
  });
}

function value(form, name) {
  const el = form.elements.namedItem(name);
  const text = el ? String(el.value).trim() : "";
  return text || undefined;
}

function group(form, prefix, names) {
  const out = {};
  for (const name of names) {
    const v = value(form, `${prefix}.${name}`);
    if (v !== undefined) out[name] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

function complaintBody(form, files) {
  const anonymous = document.getElementById("complainant-anonymous").checked;
  const complainant = {
    anonymous,
    confidential: document.getElementById("complainant-confidential").checked,
    ...(anonymous ? {} : group(form, "complainant", CONTACT)),
  };
  const body = Object.fromEntries(TEXTS.map((name) => [name, value(form, name)]));
  Object.assign(body, {
    product: group(form, "product", PRODUCT),
    respondent: group(form, "respondent", ["department", "person"]),
    location: group(form, "location", ["address_string"]),
    complainant,
    attachments: Array.from(files, (file) => ({
      filename: file.name, content_type: file.type, size_bytes: file.size,
    })),
    language: lang(),
  });
  const people = value(form, "people_affected");
  if (people !== undefined) body.people_affected = /^\d+$/.test(people) ? Number(people) : people;
  return body;
}

async function showReceipt(receipt, files) {
  keep(receipt.number, receipt.tracking_token);
  document.getElementById("out-number").textContent = receipt.number;
  document.getElementById("out-token").textContent = receipt.tracking_token;
  document.getElementById("track-link").href = trackUrl(receipt.number);
  document.getElementById("complaint-form").hidden = true;
  const panel = document.getElementById("receipt");
  panel.hidden = false;
  panel.focus();
  if (files.length) {
    document.getElementById("upload-box").hidden = false;
    const list = document.getElementById("upload-list");
    await uploadAll(receipt.number, receipt.tracking_token, Array.from(files), list);
  }
}

function setup() {
  const form = document.getElementById("complaint-form");
  const anonymous = document.getElementById("complainant-anonymous");
  const files = document.getElementById("attachments");
  const submit = document.getElementById("submit");

  const syncAnonymous = () => {
    document.getElementById("contact-fields").hidden = anonymous.checked;
  };
  anonymous.addEventListener("change", syncAnonymous);
  syncAnonymous();

  files.addEventListener("change", () => {
    Errors.put("attachments", checkFiles(files.files)?.attachments);
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    Errors.clear();
    const fileProblem = checkFiles(files.files);
    if (fileProblem) { Errors.set(fileProblem); return; }
    submit.disabled = true;
    submit.textContent = t("form.submitting");
    const response = await api.submit(complaintBody(form, files.files));
    submit.disabled = false;
    submit.textContent = t("form.submit");
    if (response.status === 201) await showReceipt(response.data, files.files);
    else Errors.set(problem(response));
  });
}

onLanguage(fillChoices);
start(setup);
