// Sign-in: the demo users of the local stack, or the organisation's Cognito hosted UI.

import * as auth from "./auth.js";
import { config } from "./config.js";
import { announce, h, replace, scrollable } from "./dom.js";
import { label, t } from "./i18n.js";

export async function render(main) {
  const heading = h("h1", { tabindex: "-1" }, t("signin.title"));
  if (config.auth.mode === "cognito") {
    const button = h("button", { type: "button", className: "primary", onclick: () => auth.cognitoSignIn() }, t("signin.go"));
    replace(main, heading, h("p", {}, t("signin.cognito")), button);
    return;
  }
  if (config.auth.mode !== "local") {
    replace(main, heading, h("p", {}, t("signin.none")));
    return;
  }
  const people = await auth.localUsers();
  const rows = people.map((person) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, person.name, h("span", { className: "muted" }, ` ${person.user_id}`)),
      h("td", {}, person.roles.map((role) => label("role", role)).join(", ")),
      h("td", {}, person.departments.map((d) => label("department", d)).join(", ")),
      h(
        "td",
        {},
        h(
          "button",
          {
            type: "button",
            dataset: { user: person.user_id },
            onclick: async () => {
              try {
                await auth.localSignIn(person.user_id);
                location.hash = "#/";
              } catch (error) {
                announce(t("signin.failed", { message: error.message }), "error");
              }
            },
          },
          t("signin.as", { name: person.name }),
        ),
      ),
    ),
  );
  replace(
    main,
    heading,
    h("p", {}, t("signin.local")),
    h(
      "div",
      scrollable(t("signin.title")),
      h(
        "table",
        { className: "people" },
        h("caption", { className: "visually-hidden" }, t("signin.title")),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("signin.user")), h("th", { scope: "col" }, t("signin.roles")), h("th", { scope: "col" }, t("signin.departments")), h("td", {}))),
        h("tbody", {}, rows),
      ),
    ),
  );
}
