// Elements are built with h(), never from HTML strings, so text from the API can never become
// markup. Shared by the public pages and the console: both routes serve this file by name.

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

// A part that fills in after its own request is aria-busy until then, so nobody (a screen
// reader, a browser test) takes the half-drawn page for the whole.
export function busyUntil(element, promise) {
  element.setAttribute("aria-busy", "true");
  return promise.finally(() => element.removeAttribute("aria-busy"));
}

let unique = 0;
export function uid(prefix) {
  unique += 1;
  return `${prefix}-${unique}`;
}
