// The HTTP API, seen from the page: every call carries the Bearer token, every failure
// becomes an ApiError with the API's error code (DESIGN.md, "HTTP").

const BASE = "api/v1";
const TOKEN_KEY = "frenchnovel.token";

/** A failed call: `code` is one of the API's error codes, or NETWORK / UNKNOWN. */
export class ApiError extends Error {
  constructor(code, message, status = 0) {
    super(message || code);
    this.code = code;
    this.status = status;
  }
}

/** The token remembered in this browser, or "". */
export function savedToken() {
  return localStorage.getItem(TOKEN_KEY) || "";
}

/** Remember the token in this browser (an empty token forgets it). */
export function saveToken(token) {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

function headers(extra = {}) {
  return { Authorization: `Bearer ${savedToken()}`, ...extra };
}

async function errorFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's error page, say): fall through to a code from the status.
  }
  const error = body?.error;
  if (error?.code) return new ApiError(error.code, error.message, response.status);
  const byStatus = { 401: "UNAUTHORIZED", 403: "UNAUTHORIZED", 404: "JOB_NOT_FOUND", 429: "RATE_LIMITED" };
  const detail = typeof body?.detail === "string" ? body.detail : response.statusText;
  return new ApiError(byStatus[response.status] ?? "UNKNOWN", detail, response.status);
}

/** Fetch `path` under /api/v1 with the token; throw ApiError unless the answer is 2xx. */
export async function request(path, options = {}) {
  let response;
  try {
    response = await fetch(`${BASE}${path}`, { ...options, headers: headers(options.headers) });
  } catch (cause) {
    if (cause?.name === "AbortError") throw cause;
    throw new ApiError("NETWORK", String(cause));
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

/** Fetch `path` and decode its JSON body. */
export async function getJson(path, options = {}) {
  const response = await request(path, options);
  return { status: response.status, body: await response.json() };
}

/** The multipart form of a job: the PDF and the settings fields the API accepts. */
export function jobForm(file, settings) {
  const form = new FormData();
  form.append("pdf_file", file, file.name);
  for (const [name, value] of Object.entries(settings)) form.append(name, String(value));
  return form;
}

export const api = {
  credits: () => getJson("/me/credits").then((r) => r.body),
  settings: () => getJson("/settings").then((r) => r.body),
  saveSettings: (settings) =>
    getJson("/settings", {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(settings),
    }).then((r) => r.body),
  estimate: (file, settings) =>
    getJson("/estimate", { method: "POST", body: jobForm(file, settings) }).then((r) => r.body),
  submit: (file, settings) => getJson("/process-pdf", { method: "POST", body: jobForm(file, settings) }),
  jobs: (page = 1, perPage = 10) =>
    getJson(`/jobs?page=${page}&per_page=${perPage}`).then((r) => r.body),
  job: (id) => getJson(`/jobs/${encodeURIComponent(id)}`).then((r) => r.body),
  result: (id) => getJson(`/jobs/${encodeURIComponent(id)}/result?format=json`).then((r) => r.body),
  cancel: (id) =>
    getJson(`/jobs/${encodeURIComponent(id)}/cancel`, { method: "POST" }).then((r) => r.body),
};

/** The job's id, whichever name the answer gives it. */
export function jobId(job) {
  return job.job_id ?? job.id;
}

/**
 * Download the job's result in `format` (json, csv, xlsx): fetch it with the token, then hand
 * the bytes to the browser through a temporary blob link (a plain link could not send the header).
 */
export async function downloadResult(id, format, baseName) {
  const response = await request(`/jobs/${encodeURIComponent(id)}/result?format=${format}`);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileNameFrom(response) ?? `${baseName}.${format}`;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken its copy once the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function fileNameFrom(response) {
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : null;
}

/**
 * Read the job's Server-Sent Events with fetch(), because EventSource cannot send the
 * Authorization header. Calls `onEvent(type, data)` for each event; resolves when the stream ends.
 */
export async function streamEvents(id, onEvent, signal) {
  const response = await request(`/jobs/${encodeURIComponent(id)}/events`, {
    headers: { Accept: "text/event-stream" },
    signal,
  });
  if (!response.body) throw new ApiError("NETWORK", "no event stream");
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer = (buffer + value).replace(/\r\n?/g, "\n");
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      dispatch(buffer.slice(0, end), onEvent);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf("\n\n");
    }
  }
}

function dispatch(block, onEvent) {
  let type = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue; // a comment: the server's keep-alive
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") type = value;
    else if (field === "data") data.push(value);
  }
  if (data.length === 0) return;
  let parsed;
  try {
    parsed = JSON.parse(data.join("\n"));
  } catch {
    return;
  }
  onEvent(type, parsed);
}
