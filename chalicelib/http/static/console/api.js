// The one API client: every call the console makes goes through request(), with the
// bearer token, JSON in and out, the ETag of what was read, and errors as ApiError.

import { config } from "./config.js";

let tokenSource = async () => null;
let onUnauthorized = () => {};

export function useToken(source, unauthorized) {
  tokenSource = source;
  onUnauthorized = unauthorized;
}

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || "http_error";
    this.fields = error.fields || {};
    this.body = body;
  }
}

export function url(path) {
  return config.api + path.replace(/^\//, "");
}

export async function request(method, path, { body, etag, accept = "application/json", raw = false } = {}) {
  const headers = { Accept: accept };
  const token = await tokenSource();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (etag) headers["If-Match"] = etag;
  const response = await fetch(url(path), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "omit",
    cache: "no-store",
  });
  if (response.status === 401) onUnauthorized();
  if (!response.ok) {
    let data = null;
    try { data = await response.json(); } catch { data = null; }
    throw new ApiError(response.status, data);
  }
  if (raw) return response;
  const data = response.status === 204 ? null : await response.json();
  return { data, etag: response.headers.get("ETag") };
}

export const get = (path) => request("GET", path).then((r) => r.data);

export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export const api = {
  counts: (filters) => get(`/staff/queues${query(filters)}`),
  queue: (name, filters) => get(`/staff/queues/${encodeURIComponent(name)}${query(filters)}`),
  failed: () => get("/staff/outbox/failed"),
  callbacks: () => get("/staff/callbacks?when=due&limit=100"),
  complaint: (number) => request("GET", `/staff/complaints/${encodeURIComponent(number)}`),
  history: (number) => get(`/staff/complaints/${encodeURIComponent(number)}/history`),
  attachments: (number) => get(`/staff/complaints/${encodeURIComponent(number)}/attachments`),
  act: (number, segment, body, etag) =>
    request("POST", `/staff/complaints/${encodeURIComponent(number)}/${segment}`, { body, etag }),
  thread: (number) => get(`/staff/complaints/${encodeURIComponent(number)}/messages`),
  message: (number, body) =>
    request("POST", `/staff/complaints/${encodeURIComponent(number)}/messages`, { body }),
  contact: (number, body) =>
    request("POST", `/staff/complaints/${encodeURIComponent(number)}/contacts`, { body }),
  decideHeld: (number, id, decision) =>
    request("POST", `/staff/complaints/${encodeURIComponent(number)}/held-mail/${encodeURIComponent(id)}`, { body: { decision } }),
  directory: (department, number) => get(`/staff/directory${query({ department, case: number })}`),
  search: (params) => get(`/staff/search${query(params)}`),
  intake: (body) => request("POST", "/staff/complaints", { body }).then((r) => r.data),
  report: (month, params) => get(`/staff/reports/${encodeURIComponent(month)}${query(params)}`),
  assessment: (month, params) => get(`/staff/reports/${encodeURIComponent(month)}/assessment${query(params)}`),
  trend: (to) => get(`/staff/reports/trend${query({ to })}`),
  subjectAccess: (params) => get(`/staff/admin/subject-access${query(params)}`),
  // The zip is binary: the request's Accept must match application/zip.
  subjectExport: (params) =>
    request("GET", `/staff/admin/subject-access${query({ ...params, format: "zip", limit: 10 })}`, { accept: "application/zip", raw: true }),
  // Files and pictures need the bearer token too: fetched, then shown from a blob URL.
  blob: (path) => request("GET", path, { accept: "*/*", raw: true }).then((r) => r.blob()),
};
