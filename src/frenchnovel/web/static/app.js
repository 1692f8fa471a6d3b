// The page's wiring: the token, the balance, and the path of a job from the chosen file to
// its results. Each part lives in its own module; this one only connects them.

import { api, ApiError, downloadResult, jobId, savedToken, saveToken } from "./api.js";
import { applyTranslations, formatNumber, has, language, setLanguage, t } from "./i18n.js";
import { JobsList } from "./jobs.js";
import { isTerminal, ProgressPanel, watchJob } from "./progress.js";
import { ResultsTable } from "./results.js";
import { SubmitForm } from "./submit.js";

const $ = (selector) => document.querySelector(selector);

let lastError = null;
let accountNote = ""; // i18n key of the note under the token field
let balance = null;
let current = null; // the job on screen: { id, name }
let stopWatching = () => {};

const progress = new ProgressPanel($("#progress"));
const results = new ResultsTable($("#results"));
const submit = new SubmitForm($("#submit"), { onError: showError, onConfirm: startJob });
const jobs = new JobsList($("#jobs"), { onOpen: openJob, onError: showError });

/** Show an error as a sentence in the reader's language, with its code for reference. */
function showError(error) {
  if (error?.name === "AbortError") return;
  lastError = error instanceof ApiError ? error : new ApiError("UNKNOWN", String(error));
  renderError();
  $("#error").hidden = false;
  $("#error").scrollIntoView({ block: "nearest" });
}

function renderError() {
  const { code, message } = lastError;
  $("#error-text").textContent = t(has(`error.${code}`) ? `error.${code}` : "error.UNKNOWN");
  $("#error-code").textContent = code;
  // The server's own words, for the curious and for bug reports.
  $("#error-detail").textContent = message && message !== code ? message : "";
}

function setAccountNote(key) {
  accountNote = key;
  $("#account-note").textContent = key ? t(key) : "";
}

function clearError() {
  lastError = null;
  $("#error").hidden = true;
}

function renderBalance() {
  $("#balance").textContent = balance == null ? "–" : formatNumber(balance);
}

async function refreshBalance() {
  try {
    balance = (await api.credits()).balance;
  } catch (error) {
    balance = null;
    showError(error);
  }
  renderBalance();
}

/** With a token: the balance, the saved settings and the past jobs. */
async function connect() {
  clearError();
  if (!savedToken()) {
    setAccountNote("account.missing");
    balance = null;
    renderBalance();
    jobs.clear();
    return;
  }
  await refreshBalance();
  if (lastError?.code === "UNAUTHORIZED") {
    setAccountNote(""); // the error says it: this token will not do
    return;
  }
  api.settings().then((values) => submit.applySettings(values), () => {});
  await jobs.refresh();
}

async function startJob(file, settings) {
  clearError();
  stopWatching();
  results.hide();
  $("#confirm").disabled = true; // one click, one job
  progress.busy(file.name);
  let answer;
  try {
    answer = await api.submit(file, settings);
  } catch (error) {
    progress.hide();
    $("#confirm").disabled = false;
    showError(error);
    return;
  }
  submit.reset();
  const job = answer.body;
  current = { id: jobId(job), name: file.name };
  if (answer.status === 200 && job.sentences) {
    showResults(job.sentences);
    api.job(current.id).then((done) => progress.show(done), () => progress.hide());
  } else {
    follow(current.id, file.name);
  }
  refreshBalance();
  jobs.refresh();
}

function follow(id, name) {
  progress.start(name);
  $("#cancel").disabled = false;
  stopWatching = watchJob(id, {
    onUpdate: (job) => progress.show(job),
    onMode: (mode) => progress.setMode(mode),
    onDone: (job) => finished(job),
    onError: showError,
  });
}

async function finished(job) {
  $("#cancel").disabled = true;
  if (job.status === "completed") {
    await loadResults(jobId(job));
  } else if (job.status === "failed") {
    const error = job.error ?? { code: job.error_code, message: job.error_message };
    showError(new ApiError(error.code || "PROCESSING_ERROR", error.message || ""));
  }
  refreshBalance();
  jobs.refresh();
}

async function loadResults(id) {
  try {
    const result = await api.result(id);
    showResults(result.sentences);
  } catch (error) {
    showError(error);
  }
}

function showResults(sentences) {
  $("#results-file").textContent = current?.name ?? "";
  results.load(sentences);
}

/** Reopen a past job: results when finished, live progress while it runs. */
async function openJob(summary) {
  clearError();
  stopWatching();
  results.hide();
  const id = jobId(summary);
  let job;
  try {
    job = await api.job(id);
  } catch (error) {
    showError(error);
    return;
  }
  current = { id, name: job.original_filename ?? job.filename ?? summary.filename ?? String(id) };
  if (isTerminal(job)) {
    progress.start(current.name);
    progress.show(job);
    $("#cancel").disabled = true;
    await finished(job);
  } else {
    follow(id, current.name);
  }
  // Move the keyboard to what was opened, so that the reader does not have to hunt for it.
  ($("#results").hidden ? $("#progress-title") : $("#results-title")).focus();
}

async function cancelCurrent() {
  if (!current) return;
  $("#cancel").disabled = true;
  try {
    progress.show(await api.cancel(current.id));
  } catch (error) {
    $("#cancel").disabled = false;
    showError(error);
  }
}

function baseName(name) {
  return (name ?? "result").replace(/\.(pdf|txt)$/i, "") || "result";
}

function bindPage() {
  $("#token").value = savedToken();
  $("#token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    saveToken($("#token").value.trim());
    setAccountNote("account.saved");
    connect();
  });
  $("#token-forget").addEventListener("click", () => {
    saveToken("");
    $("#token").value = "";
    // Nothing of the previous reader stays on screen.
    stopWatching();
    current = null;
    progress.hide();
    results.hide();
    submit.reset();
    connect();
  });
  $("#cancel").addEventListener("click", cancelCurrent);
  for (const button of document.querySelectorAll("[data-format]")) {
    button.addEventListener("click", () => {
      if (!current) return;
      downloadResult(current.id, button.dataset.format, baseName(current.name)).catch(showError);
    });
  }
  for (const button of document.querySelectorAll(".lang")) {
    button.addEventListener("click", () => switchLanguage(button.dataset.lang));
  }
}

function switchLanguage(lang) {
  setLanguage(lang);
  for (const button of document.querySelectorAll(".lang")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
  }
  // The parts written from data are redrawn in the new language.
  if (lastError) renderError();
  setAccountNote(accountNote);
  renderBalance();
  if (!$("#results").hidden) results.render();
  if (progress.job) progress.show(progress.job);
  submit.render();
  jobs.render();
}

bindPage();
applyTranslations();
switchLanguage(language());
connect();
if (!savedToken()) $("#token").focus();
