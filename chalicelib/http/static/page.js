// What every public page has: the settings the server wrote into it, the language switch,
// and re-drawing in the other language. A page module calls start() with its own setup.

import { lang, setLang, setNames, t } from "./i18n.js";

export const config = JSON.parse(document.getElementById("config")?.textContent || "{}");
setNames(config.names);

const redraws = [];

// fn runs whenever the language changes (and once at start), to re-word what it drew.
export function onLanguage(fn) {
  redraws.push(fn);
}

function applyLanguage() {
  document.documentElement.lang = lang();
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  document.querySelectorAll("[data-i18n-aria]").forEach((el) => {
    el.setAttribute("aria-label", t(el.dataset.i18nAria));
  });
  const english = lang() === "en";
  const toggle = document.getElementById("lang-toggle");
  toggle.textContent = english ? "中文" : "English";
  toggle.lang = english ? "zh-CN" : "en";
  toggle.setAttribute("aria-label", english ? "切换到中文" : "Switch to English");
  redraws.forEach((redraw) => redraw());
}

function switchLanguage() {
  setLang(lang() === "en" ? "zh-CN" : "en");
  const url = new URL(location.href);
  if (url.searchParams.has("lang")) {
    url.searchParams.set("lang", lang());
    history.replaceState(null, "", url);
  }
  applyLanguage();
}

export function start(setup) {
  document.getElementById("lang-toggle").addEventListener("click", switchLanguage);
  applyLanguage();
  setup();
}

// Shows a text of ours in a box, re-worded with the language.
export function say(box, key, vars) {
  box.dataset.key = key;
  box.textContent = t(key, vars);
}

onLanguage(() => {
  document.querySelectorAll("[data-key]").forEach((box) => { box.textContent = t(box.dataset.key); });
});
