// The user's past jobs, newest first, each reopenable: a finished one shows its results,
// a running one its progress, a failed one its error.

import { api, jobId } from "./api.js";
import { formatDate, t } from "./i18n.js";
import { parseTime } from "./progress.js";

const PER_PAGE = 10;

/** The list of jobs out of the API's page, whichever envelope it uses. */
export function jobsOf(body) {
  if (Array.isArray(body)) return body;
  return body?.jobs ?? body?.items ?? body?.results ?? [];
}

export class JobsList {
  constructor(root, { onOpen, onError }) {
    this.root = root;
    this.body = root.querySelector("#jobs-body");
    this.more = root.querySelector("#jobs-more");
    this.onOpen = onOpen;
    this.onError = onError;
    this.jobs = [];
    this.page = 1;
    root.querySelector("#jobs-refresh").addEventListener("click", () => this.refresh());
    this.more.addEventListener("click", () => this.loadPage(this.page + 1));
  }

  /** Reload the first page of jobs. */
  async refresh() {
    this.jobs = [];
    await this.loadPage(1);
  }

  async loadPage(page) {
    let body;
    try {
      body = await api.jobs(page, PER_PAGE);
    } catch (error) {
      this.onError(error);
      return;
    }
    const jobs = jobsOf(body);
    this.page = page;
    this.jobs = page === 1 ? jobs : this.jobs.concat(jobs);
    const total = body?.total;
    this.more.hidden =
      total != null ? this.jobs.length >= total : jobs.length < PER_PAGE;
    this.render();
  }

  clear() {
    this.jobs = [];
    this.render();
  }

  render() {
    if (this.jobs.length === 0) {
      const tr = document.createElement("tr");
      const td = document.createElement("td");
      td.colSpan = 5;
      td.textContent = t("jobs.empty");
      tr.append(td);
      this.body.replaceChildren(tr);
      this.more.hidden = true;
      return;
    }
    this.body.replaceChildren(...this.jobs.map((job) => this.row(job)));
  }

  row(job) {
    const tr = document.createElement("tr");
    const name = job.original_filename ?? job.filename ?? String(jobId(job));
    tr.dataset.jobId = String(jobId(job));
    const created = parseTime(job.created_at);
    const status = document.createElement("span");
    status.className = "status";
    status.dataset.status = job.status ?? "";
    status.textContent = t(`status.${job.status}`);
    const open = document.createElement("button");
    open.type = "button";
    open.className = "secondary";
    open.textContent = t("jobs.open");
    open.setAttribute("aria-label", t("jobs.open.label", { name }));
    open.addEventListener("click", () => this.onOpen(job));
    tr.append(
      cell(name, t("jobs.col.file"), "file"),
      cell(status, t("jobs.col.status")),
      cell(created ? formatDate(created) : "–", t("jobs.col.created")),
      cell(`${Math.round(job.progress_percent ?? 0)} %`, t("jobs.col.progress"), "num"),
      cell(open, t("jobs.col.action")),
    );
    return tr;
  }
}

function cell(content, label, className = "") {
  const td = document.createElement("td");
  // File names are the user's: text, never markup.
  if (typeof content === "string") td.textContent = content;
  else td.append(content);
  td.dataset.label = label;
  if (className) td.className = className;
  return td;
}
