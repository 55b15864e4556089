// The console's shell: signs in, draws the header, and routes #/... to one view module.

import { useToken } from "./api.js";
import * as auth from "./auth.js";
import { announce, h, replace } from "./dom.js";
import { label, lang, setLang, t } from "./i18n.js";
import * as org from "./org.js";
import * as auditView from "./view-audit.js";
import * as caseView from "./view-case.js";
import * as intakeView from "./view-intake.js";
import * as queuesView from "./view-queues.js";
import * as reportsView from "./view-reports.js";
import * as settingsView from "./view-settings.js";
import * as signinView from "./view-signin.js";
import * as staffView from "./view-staff.js";
import * as subjectView from "./view-subject.js";

const main = document.getElementById("main");

useToken(auth.token, () => {
  auth.signOutLocally();
  announce(t("signin.expired"), "error");
  location.hash = "#/signin";
});

function route() {
  const [, name = "", ...rest] = location.hash.replace(/^#/, "").split("/");
  const arg = rest.map(decodeURIComponent).join("/");
  if (!auth.session() && name !== "signin") return { view: signinView, arg: "" };
  switch (name) {
    case "signin": return { view: signinView, arg: "" };
    case "case": return { view: caseView, arg };
    case "intake": return { view: intakeView, arg };
    case "reports": return { view: reportsView, arg };
    case "settings": return { view: settingsView, arg };
    case "audit": return { view: auditView, arg };
    case "staff": return { view: staffView, arg };
    case "subject-access": return { view: subjectView, arg };
    default: return { view: queuesView, arg: name === "queue" ? arg : "" };
  }
}

function navLink(href, key, current) {
  const here = current ? { "aria-current": "page" } : {};
  return h("li", {}, h("a", { href, ...here }, t(key)));
}

function drawShell(current) {
  document.title = t("app.title");
  document.documentElement.lang = lang();
  document.getElementById("brand").textContent = t("app.title");
  document.getElementById("skip-link").textContent = t("app.skip");
  const nav = document.getElementById("nav");
  nav.setAttribute("aria-label", t("nav.main"));
  const who = auth.claims();
  const items = who
    ? [
        navLink("#/", "nav.queues", current === queuesView || current === caseView),
        auth.can.intake() ? navLink("#/intake", "nav.intake", current === intakeView) : null,
        auth.can.reports() ? navLink("#/reports", "nav.reports", current === reportsView) : null,
        auth.can.admin() ? navLink("#/settings", "nav.settings", current === settingsView) : null,
        auth.can.admin() ? navLink("#/staff", "nav.staff", current === staffView) : null,
        auth.can.admin() ? navLink("#/audit", "nav.audit", current === auditView) : null,
        auth.can.subjectAccess() ? navLink("#/subject-access", "nav.subject", current === subjectView) : null,
      ]
    : [];
  replace(nav, h("ul", {}, items));
  const roles = who ? who.roles.map((role) => label("role", role)).join(", ") : "";
  document.getElementById("who").textContent = who ? t("who", { name: who.name, roles }) : "";
  const switcher = document.getElementById("lang-switch");
  switcher.textContent = t("lang.switch");
  switcher.setAttribute("lang", lang() === "zh-CN" ? "en" : "zh-CN");
  switcher.setAttribute("aria-label", `${t("lang.label")}: ${t("lang.switch")}`);
  const signOut = document.getElementById("sign-out");
  signOut.textContent = t("nav.signout");
  signOut.hidden = !who;
}

// While a view renders #main is aria-busy (from the shell's first paint); once drawn, data-route
// names the route it shows, so assistive technology and the browser tests know when it is in.
let renderId = 0;
async function render({ keepStatus = false, focusHeading = true } = {}) {
  renderId += 1;
  const mine = renderId;
  const shown = location.hash;
  main.setAttribute("aria-busy", "true");
  const { view, arg } = route();
  drawShell(view);
  if (!keepStatus) announce("");
  replace(main, h("p", { className: "loading" }, t("loading")));
  try {
    if (auth.session()) await org.load(); // names of categories and departments
    if (mine !== renderId) return;
    await view.render(main, arg, { stillCurrent: () => mine === renderId, rerender: render });
  } catch (error) {
    if (mine !== renderId) return;
    replace(main, h("h1", { tabindex: "-1" }, t("app.title")), h("p", { className: "error" }, t("error.generic", { message: error.message })));
  }
  // After navigating, the new page's heading takes the focus (not on the first load, so
  // that the skip link stays the keyboard's first stop).
  if (mine !== renderId) return;
  if (focusHeading) {
    const heading = main.querySelector("h1");
    if (heading && !main.contains(document.activeElement)) heading.focus();
  }
  main.dataset.route = shown;
  main.setAttribute("aria-busy", "false");
}

document.getElementById("lang-switch").addEventListener("click", () => {
  setLang(lang() === "zh-CN" ? "en" : "zh-CN");
  render({ keepStatus: true });
});
// The skip link must not change the route (#main is no view): it moves the focus only.
document.getElementById("skip-link").addEventListener("click", (event) => {
  event.preventDefault();
  main.focus();
});
document.getElementById("sign-out").addEventListener("click", () => auth.signOut());
window.addEventListener("hashchange", () => render());

// Signed out in another tab: this one shows the sign-in page too, saying why.
auth.whenSignedOutElsewhere(async () => {
  history.replaceState(null, "", "#/signin");
  await render({ focusHeading: false });
  announce(t("signin.elsewhere"), "info");
});

async function start() {
  setLang(lang());
  try {
    if (await auth.completeCognitoSignIn()) location.hash = location.hash || "#/";
  } catch (error) {
    announce(t("signin.failed", { message: error.message }), "error");
  }
  await auth.adoptFromOtherTabs();
  auth.resume();
  await render({ keepStatus: true, focusHeading: false });
}

start();
