// The tracking page: look a complaint up by number and token, show its status, deadlines,
// timeline and files, add files, withdraw it.

import { api, refusal } from "./api.js";
import { busyUntil, h, replace } from "./elements.js";
import { Errors, missing, problem } from "./errors.js";
import { label, lang, t } from "./i18n.js";
import { given, keep } from "./link.js";
import { config, onLanguage, say, start } from "./page.js";
import { loadThread, renderThread, setupThread } from "./thread.js";
import { checkFiles, sizeText, uploadAll } from "./uploads.js";
import { differsFromBrowser, zoneName } from "./zone.js";

const FINAL = ["not_accepted", "closed", "withdrawn"];
const $ = (id) => document.getElementById(id);

let shown = null; // {view, files, number, token}

// Deadlines are the organisation's: every time is shown on its clock, and the zone is named
// wherever the browser's clock would read otherwise.
const ZONE = config.timezone;
const locale = () => (lang() === "en" ? "en-GB" : "zh-CN");

function when(iso) {
  const date = new Date(iso);
  const text = new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short", timeZone: ZONE })
    .format(date);
  return differsFromBrowser(date, ZONE) ? `${text} ${zoneName(date, locale(), ZONE, "shortOffset")}` : text;
}

function renderZone(iso) {
  const date = new Date(iso);
  const note = $("case-zone");
  note.hidden = !differsFromBrowser(date, ZONE);
  if (note.hidden) return;
  const [open, close] = lang() === "en" ? [" (", ")"] : ["（", "）"];
  const zone = `${zoneName(date, locale(), ZONE)}${open}${zoneName(date, locale(), ZONE, "shortOffset")}${close}`;
  note.textContent = t("track.zone", { zone });
}

const time = (iso) => h("time", { datetime: iso }, when(iso));

// The page is aria-busy while a case loads (shared/elements.js).
function load(focus) {
  return busyUntil($("main"), lookUp(focus));
}

async function lookUp(focus) {
  Errors.clear();
  const number = $("number").value.trim();
  const token = $("token").value.trim();
  const empty = missing({ number, token });
  if (empty) { Errors.set(empty); return; }
  const [view, files] = await Promise.all([api.view(number, token), api.files(number, token)]);
  if (view.status === 404) { Errors.set({ token: { key: "track.not_found" } }); return; }
  if (view.status !== 200) { Errors.set(problem(view)); return; }
  keep(number, token);
  shown = { view: view.data, files: files.status === 200 ? files.data.items : [], number, token };
  renderCase();
  await loadThread(number, token, when);
  if (focus) $("case").focus();
}

function renderCase() {
  if (!shown) return;
  const { view, files } = shown;
  $("case").hidden = false;
  $("case-number").textContent = view.number;
  $("case-status").textContent = label("status", view.status);
  $("case-status").dataset.status = view.status;
  $("case-subject").textContent = view.subject;
  $("case-kind").textContent = label("kind", view.kind);
  $("case-category").textContent = label("category", view.category);
  $("case-received").dateTime = view.received_at;
  $("case-received").textContent = when(view.received_at);
  renderZone(view.received_at);
  renderDeadlines(view.deadlines);
  renderTimeline(view.timeline);
  renderFiles(files);
  const open = !FINAL.includes(view.status);
  $("upload-form").hidden = !open;
  $("withdraw").hidden = !open;
  $("survey-link").hidden = view.status !== "resolved";
  $("survey-link").href = `/survey?number=${encodeURIComponent(view.number)}`;
}

function renderDeadlines(deadlines) {
  const list = $("case-deadlines");
  replace(list, Object.entries(deadlines || {}).map(([name, due]) => [
    h("dt", {}, label("deadline", name)), h("dd", {}, time(due)),
  ]));
  list.hidden = list.children.length === 0;
  $("no-deadlines").hidden = !list.hidden;
}

function renderTimeline(items) {
  replace($("case-timeline"), items.map((item) => h("li", {},
    time(item.at),
    h("strong", {}, label("event", item.event)),
    Object.entries(item.details || {}).map(([key, raw]) =>
      h("div", {}, `${label("detail", key)}${t("colon")}${key === "new_due" ? when(raw) : raw}`)),
  )));
}

function renderFiles(files) {
  replace($("case-files"), files.map((file) => {
    const state = file.uploaded ? "done" : "pending";
    return h("li", {}, `${file.filename} (${sizeText(file.size_bytes)})`,
      h("span", { className: "state", dataset: { state } }, t(`upload.${state}`)));
  }));
  $("no-files").hidden = files.length > 0;
}

function notice(key) {
  const box = $("case-notice");
  say(box, key);
  box.hidden = false;
  box.setAttribute("tabindex", "-1");
  box.focus();
}

async function upload(event) {
  event.preventDefault();
  Errors.clear();
  const chosen = Array.from($("attachments").files);
  const fileProblem = chosen.length
    ? checkFiles(chosen, shown.files.length)
    : { attachments: { key: "err.required" } };
  if (fileProblem) { Errors.set(fileProblem); return; }
  const button = $("upload");
  button.disabled = true;
  const list = replace($("upload-list"));
  const failed = await uploadAll(shown.number, shown.token, chosen, list);
  button.disabled = false;
  $("attachments").value = "";
  await load(false);
  if (!failed) {
    list.replaceChildren(); // the files list above now shows them
    notice("track.uploaded");
  }
}

async function confirmWithdrawal() {
  const reason = $("withdraw-reason").value.trim();
  const response = await api.withdraw(shown.number, shown.token, reason ? { reason } : {});
  if (response.status !== 200) {
    $("withdraw-error").textContent = t("err.conflict", { message: refusal(response) });
    return;
  }
  $("withdraw-dialog").close();
  await load(false);
  notice("track.withdrawn");
}

function setup() {
  const { number, token } = given();
  $("number").value = number;
  $("token").value = token;
  $("lookup-form").addEventListener("submit", (event) => { event.preventDefault(); load(true); });
  $("upload-form").addEventListener("submit", upload);
  $("withdraw").addEventListener("click", () => {
    $("withdraw-error").textContent = "";
    $("withdraw-dialog").showModal();
  });
  $("withdraw-cancel").addEventListener("click", () => $("withdraw-dialog").close());
  $("withdraw-confirm").addEventListener("click", confirmWithdrawal);
  setupThread(async (key) => { await load(false); notice(key); });
  onLanguage(() => { renderCase(); renderThread(); });
  if (number && token) load(false);
}

start(setup);
