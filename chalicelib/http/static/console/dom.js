// A few DOM helpers: elements are built with h() (elements.js, shared with the public pages),
// never from HTML strings, so text from the API can never become markup.

import { ApiError } from "./api.js";
import { busyUntil, h, replace, uid } from "./elements.js";

export { busyUntil, h, replace, uid };

// A labelled form control; `control` is an input/select/textarea element.
export function field(labelText, control, hint) {
  const id = control.id || uid("f");
  control.id = id;
  const hintEl = hint ? h("p", { className: "hint", id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
  return h("div", { className: "field" }, h("label", { for: id }, labelText), control, hintEl);
}

export function select(name, options, value, attrs = {}) {
  return h(
    "select",
    { name, ...attrs },
    options.map(([optionValue, text]) =>
      h("option", { value: optionValue, selected: optionValue === value }, text),
    ),
  );
}

// Puts the API's field errors next to the fields they name (by the `name` attribute).
export function showFieldErrors(form, fields) {
  for (const old of form.querySelectorAll(".field-error")) old.remove();
  for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
  let first = null;
  for (const [path, message] of Object.entries(fields || {})) {
    const name = path.split(".").slice(-1)[0];
    const control = form.querySelector(`[name="${CSS.escape(path)}"]`) || form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (!control) continue;
    const error = h("p", { className: "field-error", id: uid("err") }, message);
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", error.id);
    control.insertAdjacentElement("afterend", error);
    first = first || control;
  }
  if (first) first.focus();
}

// Announced to screen readers, and shown.
export function announce(text, kind = "info") {
  const region = document.getElementById("status");
  region.className = `status ${kind}`;
  region.textContent = text;
}

// A wide table's box: it scrolls sideways on a phone, so it must take the keyboard's focus.
export function scrollable(name) {
  return { className: "table-wrap", tabindex: "0", role: "region", "aria-label": name };
}

// The filter form above a month's figures (reports, audit): the month, any `extra` fields,
// and a button; submitting moves to hashOf(the form's data), which renders that month.
export function monthFilter(month, monthLabel, showLabel, hashOf, ...extra) {
  const monthInput = h("input", { type: "month", name: "month", value: month, required: true });
  const form = h(
    "form",
    {
      className: "filters",
      onsubmit: (event) => {
        event.preventDefault();
        location.hash = hashOf(new FormData(form));
      },
    },
    field(monthLabel, monthInput),
    ...extra,
    h("div", { className: "buttons" }, h("button", { type: "submit" }, showLabel)),
  );
  return form;
}

// A section whose h2 labels it: `${name}-title` is the heading's id.
export function titledSection(name, title, attrs, ...content) {
  return h("section", { "aria-labelledby": `${name}-title`, ...attrs }, h("h2", { id: `${name}-title` }, title), ...content);
}

// What `request` (a promise of the API's answer) gives, or null: when the view is no longer
// the current one, or when the request failed, once `into` says why (`forbidden` for a 403,
// else failed(the error's message)).
export async function answerOrError(request, into, stillCurrent, forbidden, failed) {
  try {
    const answer = await request;
    return stillCurrent() ? answer : null;
  } catch (error) {
    if (stillCurrent()) replace(into, h("p", { className: "error" }, error instanceof ApiError && error.status === 403 ? forbidden : failed(error.message)));
    return null;
  }
}
