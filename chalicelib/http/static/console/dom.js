// A few DOM helpers: elements are built with h(), never from HTML strings, so text from the
// API can never become markup.

export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "className") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

let unique = 0;
export function uid(prefix) {
  unique += 1;
  return `${prefix}-${unique}`;
}

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
