// The follow-up survey: a score, solved or not, a comment; and a way to stop text messages.
// The e-mailed or texted link carries number and token; without them the page asks for both.

import { api } from "./api.js";
import { Errors, missing, problem } from "./errors.js";
import { t } from "./i18n.js";
import { given, trackUrl } from "./link.js";
import { onLanguage, say, start } from "./page.js";

const $ = (id) => document.getElementById(id);

let result = null; // {number, data} once answered

function showIntro() {
  const number = $("number").value.trim();
  $("survey-intro").textContent = number ? t("survey.intro.number", { number }) : t("survey.intro");
}

// The number and token to act on, or null after asking for what is missing.
function link() {
  const number = $("number").value.trim();
  const token = $("token").value.trim();
  const empty = missing({ number, token });
  if (!empty) return { number, token };
  $("link-fields").hidden = false;
  Errors.set(empty);
  return null;
}

// A refusal the page words itself; anything else goes to the fields it names.
function refused(response, conflict) {
  if (response.status === 404) {
    $("link-fields").hidden = false;
    Errors.set({ token: { key: "survey.bad_link" } });
  } else if (response.status === 409 && conflict) {
    Errors.set({ form: { key: conflict } });
  } else {
    Errors.set(problem(response));
  }
}

function answer(form) {
  const body = {};
  const score = form.querySelector("input[name=score]:checked");
  const solved = form.querySelector("input[name=solved]:checked");
  if (score) body.score = Number(score.value);
  if (solved) body.solved = solved.value === "true";
  const comment = $("comment").value.trim();
  if (comment) body.comment = comment;
  return body;
}

async function send(event) {
  event.preventDefault();
  Errors.clear();
  const target = link();
  if (!target) return;
  $("send").disabled = true;
  const response = await api.survey(target.number, target.token, answer(event.target));
  $("send").disabled = false;
  if (response.status !== 200) { refused(response, "survey.not_waiting"); return; }
  result = { number: target.number, data: response.data };
  showResult();
}

async function optOut() {
  Errors.clear();
  const target = link();
  if (!target) return;
  const response = await api.optOut(target.number, target.token);
  if (response.status !== 200) { refused(response); return; }
  const key = response.data.sms === "opted_out" ? "survey.optout.done" : "survey.optout.none";
  say($("optout-result"), key);
}

function showResult() {
  if (!result) return;
  $("survey-form").hidden = true;
  const { recomplaint, recomplaint_token: token } = result.data;
  $("survey-result").textContent = recomplaint
    ? t("survey.recomplaint", { new: recomplaint, token })
    : t("survey.thanks", { number: result.number });
  $("survey-track").href = trackUrl(result.number);
  const done = $("survey-done");
  const wasHidden = done.hidden;
  done.hidden = false;
  if (wasHidden) done.focus();
}

function setup() {
  const { number, token } = given();
  $("number").value = number;
  $("token").value = token;
  if (!number || !token) $("link-fields").hidden = false;
  showIntro();
  $("survey-form").addEventListener("submit", send);
  $("sms-optout").addEventListener("click", optOut);
  onLanguage(showIntro);
  onLanguage(showResult);
}

start(setup);
