// Follow one job to its end: its Server-Sent Events first, polling when the stream is not
// available or breaks off. The panel shows the bar, chunks done, percent, step and elapsed time.

import { api, streamEvents } from "./api.js";
import { formatNumber, has, t } from "./i18n.js";

const TERMINAL = new Set(["completed", "failed", "cancelled"]);
const POLL_MS = 1000;

/** True when the job will not change any more. */
export function isTerminal(job) {
  return TERMINAL.has(job?.status);
}

/**
 * Watch job `id`: `onUpdate(job)` on every news, `onDone(job)` once when it ends, `onError`
 * when the job cannot be followed any more (gone, or the token refused).
 * Returns a function that stops watching.
 */
export function watchJob(id, { onUpdate, onDone, onMode, onError }) {
  const controller = new AbortController();
  let finished = false;
  let newest = 0;

  const seen = (job) => {
    if (finished || !job) return;
    // The first look and the stream race: an answer older than what is shown is dropped.
    const stamp = parseTime(job.updated_at)?.getTime() ?? 0;
    if (stamp < newest && !isTerminal(job)) return;
    newest = Math.max(newest, stamp);
    onUpdate(job);
    if (isTerminal(job)) {
      finished = true;
      controller.abort();
      onDone(job);
    }
  };

  const poll = async () => {
    onMode("polling");
    while (!finished && !controller.signal.aborted) {
      try {
        seen(await api.job(id));
      } catch (error) {
        if (error?.name === "AbortError") return;
        if (error?.status === 401 || error?.status === 404) {
          finished = true;
          onError(error);
          return;
        }
        // A hiccup of the network or the server: keep trying, the job goes on anyway.
      }
      await sleep(POLL_MS, controller.signal);
    }
  };

  const stream = async () => {
    onMode("live");
    try {
      await streamEvents(id, (_type, job) => seen(job), controller.signal);
    } catch (error) {
      if (error?.name === "AbortError") return;
    }
    // The stream ended or failed before the job did: polling takes over.
    if (!finished && !controller.signal.aborted) await poll();
  };

  // One request at once shows where the job stands, whatever the stream does next.
  api.job(id).then(seen, () => {});
  stream();
  return () => {
    finished = true;
    controller.abort();
  };
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}

/** A timestamp of the API as a Date; one without a zone is UTC. */
export function parseTime(value) {
  if (!value) return null;
  const text = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Seconds as "1 h 02 min 05 s", "2 min 05 s" or "5 s". */
export function formatElapsed(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  if (hours) return `${hours} h ${String(minutes).padStart(2, "0")} min ${rest} s`;
  if (minutes) return `${minutes} min ${rest} s`;
  return `${s % 60} s`;
}

/** The progress panel: fills the bar and the figures from a job. */
export class ProgressPanel {
  constructor(root) {
    this.root = root;
    this.bar = root.querySelector("#progress-bar");
    this.percent = root.querySelector("#progress-percent");
    this.status = root.querySelector("#progress-status");
    this.chunks = root.querySelector("#progress-chunks");
    this.step = root.querySelector("#progress-step");
    this.elapsed = root.querySelector("#progress-elapsed");
    this.mode = root.querySelector("#progress-mode");
    this.fileName = root.querySelector("#progress-file");
    this.cancel = root.querySelector("#cancel");
    this.job = null;
    this.timer = null;
  }

  /** Show the panel for a new job (name is the file's name, shown as text). */
  start(name) {
    this.job = null;
    this.root.hidden = false;
    this.mode.textContent = "";
    this.fileName.textContent = name ?? "";
    this.show({ status: "pending", progress_percent: 0 });
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), 1000);
  }

  /** While a small file is processed within its upload request: a bar without a value. */
  busy(name) {
    this.start(name);
    this.show({ status: "processing", created_at: new Date().toISOString() });
    this.bar.removeAttribute("value");
    this.percent.textContent = "";
    this.mode.textContent = "";
    this.cancel.hidden = true; // no job id yet: nothing to cancel
  }

  /** Show a job's state. */
  show(job) {
    this.job = { ...(this.job ?? {}), ...job };
    const percent = Math.max(0, Math.min(100, Math.round(this.job.progress_percent ?? 0)));
    this.bar.value = percent;
    this.percent.textContent = `${percent} %`;
    this.status.textContent = t(`status.${this.job.status}`);
    this.status.dataset.status = this.job.status ?? "";
    const total = this.job.total_chunks;
    this.chunks.textContent =
      total == null
        ? "–"
        : `${formatNumber(this.job.completed_chunks ?? 0)} / ${formatNumber(total)}`;
    const step = this.job.current_step;
    // Steps the page knows are translated; a new one still shows, as the API names it.
    this.step.textContent = step ? (has(`step.${step}`) ? t(`step.${step}`) : step) : "–";
    this.cancel.hidden = isTerminal(this.job);
    if (isTerminal(this.job)) this.mode.textContent = "";
    const name = this.job.original_filename ?? this.job.filename;
    if (name) this.fileName.textContent = name;
    this.tick();
    if (isTerminal(this.job)) clearInterval(this.timer);
  }

  /** Say whether the figures come live from the stream or by polling. */
  setMode(mode) {
    this.mode.textContent = t(mode === "live" ? "progress.live" : "progress.polling");
  }

  tick() {
    const job = this.job ?? {};
    const begun = parseTime(job.started_at) ?? parseTime(job.created_at);
    const ended = parseTime(job.completed_at) ?? parseTime(job.finished_at);
    if (!begun) {
      this.elapsed.textContent = "–";
      return;
    }
    const end = ended ?? (isTerminal(job) ? (parseTime(job.updated_at) ?? begun) : new Date());
    this.elapsed.textContent = formatElapsed((end - begun) / 1000);
  }

  hide() {
    clearInterval(this.timer);
    this.root.hidden = true;
  }
}
