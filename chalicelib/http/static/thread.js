// The tracking page's conversation: messages from staff (by role and department), the open
// request for information as a numbered list with its date, and the complainant's reply.
// Every text goes in as text (h() never parses HTML): a <script> in a reply stays words.

import { api, refusal } from "./api.js";
import { h, replace } from "./elements.js";
import { lang, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const FINAL = ["not_accepted", "closed", "withdrawn"];

let current = null; // {number, token, thread, when}

export async function loadThread(number, token, when) {
  const response = await api.thread(number, token);
  current = { number, token, when, thread: response.status === 200 ? response.data : null };
  renderThread();
}

function author(item) {
  if (item.direction === "inbound") return t("thread.from.you");
  const role = t(`role.${item.from.role}`);
  return t("thread.from.staff", { department: item.from.department || "", role });
}

export function renderThread() {
  if (!current) return;
  const section = $("thread");
  const { thread, when } = current;
  section.hidden = !thread;
  if (!thread) return;
  replace($("thread-items"), thread.items.map((item) => h("li", { dataset: { direction: item.direction } },
    h("div", { className: "meta" }, h("time", { datetime: item.at }, when(item.at)), " · ", author(item)),
    h("p", { className: "text" }, item.text),
    item.request ? h("ol", {}, item.request.items.map((line) => h("li", {}, line))) : null,
  )));
  $("thread-empty").hidden = thread.items.length > 0;
  const request = thread.open_request;
  $("thread-request").hidden = !request;
  if (request) {
    replace($("thread-request"),
      h("strong", {}, t("thread.request", { date: request.reply_by })),
      h("ol", {}, request.items.map((line) => h("li", {}, line))));
  }
  $("reply-form").hidden = FINAL.includes(thread.status);
  document.documentElement.lang = lang();
}

async function send(event, afterReply) {
  event.preventDefault();
  const box = $("reply-text");
  const error = $("reply-text-error");
  const text = box.value.trim();
  error.textContent = "";
  box.removeAttribute("aria-invalid");
  if (!text) {
    error.textContent = t("err.required");
    box.setAttribute("aria-invalid", "true");
    box.focus();
    return;
  }
  const button = $("reply-send");
  button.disabled = true;
  const response = await api.reply(current.number, current.token, { text });
  button.disabled = false;
  if (response.status === 201) {
    box.value = "";
    await afterReply("thread.sent");
    return;
  }
  const key = { 409: "thread.closed", 429: "thread.limit" }[response.status];
  error.textContent = key ? t(key) : t("err.conflict", { message: refusal(response) });
  box.setAttribute("aria-invalid", "true");
}

export function setupThread(afterReply) {
  $("reply-form").addEventListener("submit", (event) => send(event, afterReply));
}
