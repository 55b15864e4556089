// Staff accounts (admins): the user pool's staff a page at a time, inviting someone (Cognito
// mails them a temporary password), changing roles and departments, disabling and enabling
// (GET/POST/PATCH /staff/admin/users). Every change is in the audit (#/audit).

import { ApiError, query, request } from "./api.js";
import * as auth from "./auth.js";
import { announce, field, h, replace, scrollable, showFieldErrors, uid } from "./dom.js";
import { label, t } from "./i18n.js";
import * as org from "./org.js";

const ROLES = ["intake_agent", "handler", "supervisor", "manager", "director", "quality", "admin"];
const EVERY_DEPARTMENT = "*";

function departmentName(code) {
  return code === EVERY_DEPARTMENT ? t("staff.every_department") : label("department", code);
}

// A group of checkboxes named `name`; `checked` the values ticked at first.
function choices(name, legend, options, checked) {
  const id = uid("set");
  return h(
    "fieldset",
    { className: "choices", id },
    h("legend", {}, legend),
    options.map(([value, text]) =>
      h("label", { className: "choice" }, h("input", { type: "checkbox", name, value, checked: checked.includes(value) }), ` ${text}`),
    ),
  );
}

function ticked(form, name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((box) => box.value);
}

function roleChoices(checked) {
  return choices("roles", t("staff.roles"), ROLES.map((role) => [role, label("role", role)]), checked);
}

function departmentChoices(checked) {
  const codes = [...org.codes("departments"), EVERY_DEPARTMENT];
  for (const code of checked) if (!codes.includes(code)) codes.push(code); // a retired one it still has
  return choices("departments", t("staff.departments"), codes.map((code) => [code, departmentName(code)]), checked);
}

function failure(error) {
  if (!(error instanceof ApiError)) return t("error.generic", { message: error.message });
  const reason = error.body?.error?.reason;
  if (error.status === 409 && reason) return t(`staff.refused.${reason}`);
  if (error.status === 403) return t("staff.forbidden");
  if (error.status === 400) return t("staff.invalid");
  return t("error.generic", { message: error.message });
}

function state(user) {
  if (!user.enabled) return t("staff.disabled");
  return user.status === "FORCE_CHANGE_PASSWORD" ? t("staff.invited") : t("staff.active");
}

function inviteForm(onInvited) {
  const form = h(
    "form",
    { className: "invite", noValidate: true },
    h("h2", {}, t("staff.invite")),
    field(t("staff.email"), h("input", { type: "email", name: "email", required: true, autocomplete: "off" }), t("staff.email_hint")),
    field(t("staff.name"), h("input", { type: "text", name: "name", required: true, maxLength: 100 })),
    roleChoices([]),
    departmentChoices([]),
    h("div", { className: "buttons" }, h("button", { type: "submit" }, t("staff.send_invite"))),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {
      email: form.elements.email.value.trim(),
      name: form.elements.name.value.trim(),
      roles: ticked(form, "roles"),
      departments: ticked(form, "departments"),
    };
    try {
      const { data } = await request("POST", "/staff/admin/users", { body });
      showFieldErrors(form, {});
      form.reset();
      announce(t("staff.invited_done", { name: data.name, email: data.email }));
      onInvited(data);
    } catch (error) {
      showFieldErrors(form, error instanceof ApiError ? error.fields : {});
      announce(failure(error), "error");
    }
  });
  return form;
}

const userPath = (user) => `/staff/admin/users/${encodeURIComponent(user.user_id)}`;

// A change is sent with the ETag the row was drawn from: if another admin changed the account
// since, the server answers 409 (stale) and the row is drawn again from the account as it is.
async function change(user, body, redraw) {
  try {
    const { data } = await request("PATCH", userPath(user), { body, etag: user.etag });
    return data;
  } catch (error) {
    if (error instanceof ApiError && error.status === 409 && error.body?.error?.reason === "stale") {
      const { data } = await request("GET", userPath(user));
      redraw(data);
    }
    throw error;
  }
}

// One account's row; its edit form opens in a row below it.
function row(user, redraw) {
  const self = auth.claims()?.user === user.user_id;
  const toggle = h(
    "button",
    {
      type: "button",
      onclick: async () => {
        try {
          const changed = await change(user, { enabled: !user.enabled }, redraw);
          announce(t(changed.enabled ? "staff.enabled_done" : "staff.disabled_done", { name: changed.name }));
          redraw(changed);
        } catch (error) {
          announce(failure(error), "error");
        }
      },
    },
    t(user.enabled ? "staff.disable" : "staff.enable"),
  );
  const edit = h("button", { type: "button", "aria-expanded": "false", onclick: () => openEditor(user, edit, redraw) }, t("staff.edit"));
  return h(
    "tr",
    { dataset: { user: user.user_id } },
    h("th", { scope: "row" }, user.name || user.user_id, self ? ` ${t("staff.you")}` : ""),
    h("td", {}, user.email),
    h("td", {}, user.roles.map((role) => label("role", role)).join(", ")),
    h("td", {}, user.departments.map(departmentName).join(", ")),
    h("td", {}, state(user)),
    h("td", { className: "buttons" }, edit, toggle),
  );
}

function openEditor(user, button, redraw) {
  const tr = button.closest("tr");
  const open = tr.nextElementSibling?.classList.contains("editor");
  if (open) {
    tr.nextElementSibling.remove();
    button.setAttribute("aria-expanded", "false");
    return;
  }
  const form = h(
    "form",
    { noValidate: true, "aria-label": t("staff.edit_of", { name: user.name }) },
    roleChoices(user.roles),
    departmentChoices(user.departments),
    h("div", { className: "buttons" }, h("button", { type: "submit" }, t("staff.save"))),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const changed = await change(user, { roles: ticked(form, "roles"), departments: ticked(form, "departments") }, redraw);
      announce(t("staff.saved", { name: changed.name }));
      redraw(changed);
    } catch (error) {
      showFieldErrors(form, error instanceof ApiError ? error.fields : {});
      announce(failure(error), "error");
    }
  });
  tr.insertAdjacentElement("afterend", h("tr", { className: "editor" }, h("td", { colSpan: 6 }, form)));
  button.setAttribute("aria-expanded", "true");
  form.querySelector("input").focus();
}

export async function render(main, _arg, { stillCurrent }) {
  const body = h("tbody", {});
  const more = h("div", { className: "buttons" });
  const heads = ["staff.name", "staff.email", "staff.roles", "staff.departments", "staff.state", "staff.actions"];
  const table = h(
    "div",
    scrollable(t("staff.list")),
    h("table", {}, h("caption", {}, t("staff.list")), h("thead", {}, h("tr", {}, heads.map((key) => h("th", { scope: "col" }, t(key))))), body),
  );

  function redraw(user) {
    const old = body.querySelector(`tr[data-user="${CSS.escape(user.user_id)}"]`);
    const fresh = row(user, redraw);
    if (!old) {
      body.prepend(fresh);
      return;
    }
    if (old.nextElementSibling?.classList.contains("editor")) old.nextElementSibling.remove();
    old.replaceWith(fresh);
  }

  replace(main, h("h1", { tabindex: "-1" }, t("staff.title")), h("p", {}, t("staff.intro")), inviteForm(redraw), table, more);

  async function page(cursor) {
    let result;
    try {
      result = (await request("GET", `/staff/admin/users${query({ limit: 50, cursor })}`)).data;
    } catch (error) {
      if (stillCurrent()) replace(more, h("p", { className: "error" }, failure(error)));
      return;
    }
    if (!stillCurrent()) return;
    body.append(...result.users.map((user) => row(user, redraw)));
    replace(more, result.next_cursor ? h("button", { type: "button", onclick: () => page(result.next_cursor) }, t("staff.more")) : []);
  }
  await page(undefined);
}
