// The public pages' one API client: JSON in and out, the tracking token in its header, and
// every answer as {status, data} (status 0 when the network failed), never an exception.

async function request(method, path, { body, token, idempotent = false } = {}) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers["X-Tracking-Token"] = token;
  // A retried submission (a double click, a flaky network) creates one complaint.
  if (idempotent) headers["Idempotency-Key"] = uuid();
  let response;
  try {
    response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch (_) {
    return { status: 0, data: {} };
  }
  const data = await response.json().catch(() => ({}));
  return { status: response.status, data };
}

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const path = (number) => `/complaints/${encodeURIComponent(number)}`;

export const api = {
  submit: (body) => request("POST", "/complaints", { body, idempotent: true }),
  view: (number, token) => request("GET", path(number), { token }),
  files: (number, token) => request("GET", `${path(number)}/attachments`, { token }),
  withdraw: (number, token, body) => request("POST", `${path(number)}/withdraw`, { token, body }),
  survey: (number, token, body) => request("POST", `${path(number)}/survey`, { token, body }),
  thread: (number, token) => request("GET", `${path(number)}/messages`, { token }),
  reply: (number, token, body) => request("POST", `${path(number)}/messages`, { token, body }),
  optOut: (number, token) => request("POST", `${path(number)}/sms-opt-out`, { token, body: {} }),
  // An attachment: ask for an upload form, POST the file to storage, then confirm.
  grant: (number, token, body) => request("POST", `${path(number)}/attachments`, { token, body }),
  confirm: (url, token) => request("POST", url, { token }),
};

// The words of a refusal, for an upload's line or a dialog.
export function refusal(response) {
  return response.data.error?.message || `HTTP ${response.status}`;
}
