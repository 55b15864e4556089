// The case page's conversation (issue 17): the thread (messages, requests, replies,
// contacts, notes, e-mails kept aside) with delivery and read state, a composer for a
// message or a request for information (items added one by one, reply-by filled with the
// default), and a form to record a contact. Identities come masked from the API.

import { ApiError, api } from "./api.js";
import { announce, field, h, replace, select, showFieldErrors } from "./dom.js";
import { dateTime, t } from "./i18n.js";

const CHANNELS = ["phone", "visit", "sms", "email", "other"];
const DIRECTIONS = ["outbound", "inbound"];
const OUTCOMES = ["reached", "no_answer", "busy", "wrong_number", "left_message"];

// `c`: the complaint as read; `refresh()`: reload the case page after a change.
export async function threadSection(c, refresh) {
  const section = h("section", { "aria-labelledby": "thread-title", className: "thread" },
    h("h2", { id: "thread-title" }, t("thread.title")));
  let thread = { items: [] };
  try {
    thread = await api.thread(c.number);
  } catch (error) {
    announce(t("form.error", { message: error.message }), "error");
  }
  const items = thread.items.map((item) => threadItem(c, item, refresh));
  section.append(items.length ? h("ol", { className: "timeline", id: "thread-items" }, items) : h("p", { className: "hint" }, t("thread.empty")));
  if (c.allowed_talk) {
    section.append(composer(c, refresh), contactForm(c, refresh));
  }
  return section;
}

function threadItem(c, item, refresh) {
  const who = item.from && (item.from.user || item.from.sender || item.from.role);
  const meta = [h("time", { datetime: item.at }, dateTime(item.at)), " · ", h("strong", {}, t(`thread.${item.type}`))];
  if (who) meta.push(" · ", who);
  if (item.channel) meta.push(" · ", item.channel);
  const lines = [h("p", { className: "meta" }, meta)];
  if (item.text) lines.push(h("p", { className: "text" }, item.text));
  if (item.summary) lines.push(h("p", { className: "text" }, item.summary));
  if (item.outcome) lines.push(h("p", {}, item.outcome));
  if (item.request) {
    lines.push(h("ol", {}, item.request.items.map((line) => h("li", {}, line))));
    lines.push(h("p", {}, t("thread.reply_by", { date: item.request.reply_by })));
  }
  if (item.delivery) lines.push(h("p", { className: "hint" }, t("thread.delivery", { state: item.delivery })));
  if (item.direction === "outbound" && ["message", "request", "reminder"].includes(item.type)) {
    lines.push(h("p", { className: "hint" }, item.read_at ? t("thread.read", { at: dateTime(item.read_at) }) : t("thread.unread")));
  }
  if (item.type === "held") {
    lines.push(h("p", { className: "hint" }, t("thread.reasons", { reasons: (item.reasons || []).join(", ") })));
    lines.push(h("div", { className: "buttons" },
      h("button", { type: "button", onclick: () => decide(c, item.id, "accept", refresh) }, t("thread.accept")),
      h("button", { type: "button", onclick: () => decide(c, item.id, "discard", refresh) }, t("thread.discard"))));
  }
  return h("li", { dataset: { type: item.type } }, lines);
}

async function decide(c, id, decision, refresh) {
  try {
    await api.decideHeld(c.number, id, decision);
    await refresh(t("case.done", { action: t(`thread.${decision}`) }));
  } catch (error) {
    announce(t("form.error", { message: error.message }), "error");
  }
}

function composer(c, refresh) {
  const items = [];
  const itemList = h("ol", { id: "compose-items", "aria-label": t("compose.items") });
  const itemInput = h("input", { type: "text", name: "item", maxlength: "500" });
  const replyBy = h("input", { type: "date", name: "reply_by", value: c.info_request_default || "" });
  const requestFields = h("div", { hidden: true },
    field(t("compose.item"), itemInput),
    h("button", { type: "button", onclick: () => addItem() }, t("compose.add")),
    itemList,
    field(t("compose.reply_by"), replyBy));
  const ask = h("input", { type: "checkbox", name: "ask", onchange: (event) => { requestFields.hidden = !event.target.checked; } });
  const drawItems = () => replace(itemList, items.map((line, index) => h("li", {}, line, " ",
    h("button", { type: "button", onclick: () => { items.splice(index, 1); drawItems(); } }, t("compose.remove")))));
  const addItem = () => {
    const value = itemInput.value.trim();
    if (!value) return;
    items.push(value);
    itemInput.value = "";
    drawItems();
    itemInput.focus();
  };
  itemInput.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); addItem(); } });
  const form = h("form", { className: "card", id: "composer" },
    h("h3", {}, t("compose.title")),
    field(t("compose.text"), h("textarea", { name: "text", required: true, maxlength: "5000" })),
    h("div", { className: "field" }, h("label", {}, ask, " ", t("compose.ask"))),
    requestFields,
    h("div", { className: "buttons" }, h("button", { type: "submit", className: "primary" }, t("compose.send"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { text: form.elements.text.value };
    if (ask.checked) body.request = { items: [...items], ...(replyBy.value ? { reply_by: replyBy.value } : {}) };
    await submit(form, () => api.message(c.number, body), refresh, t("compose.sent"));
  });
  return form;
}

function contactForm(c, refresh) {
  const form = h("form", { className: "card", id: "contact-form" },
    h("h3", {}, t("contact.title")),
    field(t("contact.channel"), select("channel", CHANNELS.map((v) => [v, v]), "phone")),
    field(t("contact.direction"), select("direction", DIRECTIONS.map((v) => [v, v]), "outbound")),
    field(t("contact.outcome"), select("outcome", OUTCOMES.map((v) => [v, v]), "reached")),
    field(t("contact.summary"), h("textarea", { name: "summary", required: true, maxlength: "2000" })),
    h("div", { className: "buttons" }, h("button", { type: "submit", className: "primary" }, t("contact.save"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = Object.fromEntries(["channel", "direction", "outcome", "summary"].map((name) => [name, form.elements[name].value]));
    await submit(form, () => api.contact(c.number, body), refresh, t("contact.saved"));
  });
  return form;
}

async function submit(form, call, refresh, done) {
  const button = form.querySelector("[type=submit]");
  button.disabled = true;
  try {
    await call();
    await refresh(done);
  } catch (error) {
    button.disabled = false;
    if (error instanceof ApiError && error.status === 400) showFieldErrors(form, error.fields);
    announce(t("form.error", { message: error.message }), "error");
  }
}
