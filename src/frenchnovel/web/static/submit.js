// Choosing a file (drag-and-drop or picker), the job's settings, and the estimate that the
// user sees before confirming.

import { api } from "./api.js";
import { formatNumber, t } from "./i18n.js";

const SETTING_FIELDS = [
  "sentence_length_limit",
  "min_sentence_length",
  "ignore_dialogue",
  "engine",
  "model_preference",
  "ocr",
];

/** "2,8 Mo" style sizes. */
export function formatSize(bytes) {
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${formatNumber(Math.round(value * 10) / 10)} ${units[unit]}`;
}

export class SubmitForm {
  constructor(root, { onError, onConfirm }) {
    this.root = root;
    this.onError = onError;
    this.onConfirm = onConfirm;
    this.file = null;
    this.estimate = null;
    this.estimateRun = 0;
    this.input = root.querySelector("#file-input");
    this.dropzone = root.querySelector("#dropzone");
    this.fileName = root.querySelector("#file-name");
    this.panel = root.querySelector("#estimate");
    this.pending = root.querySelector("#estimate-pending");
    this.verdict = root.querySelector("#estimate-verdict");
    this.confirm = root.querySelector("#confirm");
    this.settingsNote = root.querySelector("#settings-note");

    root.querySelector("#choose-file").addEventListener("click", () => this.input.click());
    this.input.addEventListener("change", () => {
      if (this.input.files.length) this.choose(this.input.files[0]);
    });
    this.bindDrop();
    for (const name of SETTING_FIELDS) {
      root.querySelector(`#${name}`).addEventListener("change", () => this.refreshEstimate());
    }
    root.querySelector("#settings-save").addEventListener("click", () => this.saveDefaults());
    this.confirm.addEventListener("click", () => {
      if (this.file) this.onConfirm(this.file, this.settings());
    });
  }

  bindDrop() {
    const zone = this.dropzone;
    for (const type of ["dragenter", "dragover"]) {
      zone.addEventListener(type, (event) => {
        event.preventDefault();
        zone.classList.add("over");
      });
    }
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("over");
      const file = event.dataTransfer?.files?.[0];
      if (file) this.choose(file);
    });
  }

  /** The settings as the API expects them. */
  settings() {
    const field = (name) => this.root.querySelector(`#${name}`);
    return {
      sentence_length_limit: Number(field("sentence_length_limit").value),
      min_sentence_length: Number(field("min_sentence_length").value),
      ignore_dialogue: field("ignore_dialogue").checked,
      engine: field("engine").value,
      model_preference: field("model_preference").value,
      ocr: field("ocr").value,
    };
  }

  /** Fill the settings from the user's saved defaults (unknown fields are ignored). */
  applySettings(values) {
    for (const name of SETTING_FIELDS) {
      const field = this.root.querySelector(`#${name}`);
      if (values?.[name] == null) continue;
      if (field.type === "checkbox") field.checked = Boolean(values[name]);
      else field.value = String(values[name]);
    }
  }

  async saveDefaults() {
    try {
      this.applySettings(await api.saveSettings(this.settings()));
      this.settingsNote.textContent = t("settings.saved");
    } catch (error) {
      this.onError(error);
    }
  }

  choose(file) {
    this.file = file;
    this.fileName.textContent = t("submit.chosen", { name: file.name, size: formatSize(file.size) });
    this.refreshEstimate();
  }

  /** Forget the chosen file (after it has been submitted). */
  reset() {
    this.file = null;
    this.estimate = null;
    this.input.value = "";
    this.fileName.textContent = "";
    this.panel.hidden = true;
    this.confirm.disabled = true;
  }

  async refreshEstimate() {
    if (!this.file) return;
    const run = ++this.estimateRun;
    this.panel.hidden = false;
    this.pending.hidden = false;
    this.confirm.disabled = true;
    this.estimate = null;
    this.render();
    let estimate;
    try {
      estimate = await api.estimate(this.file, this.settings());
    } catch (error) {
      if (run !== this.estimateRun) return;
      this.pending.hidden = true;
      this.panel.hidden = true;
      this.onError(error);
      return;
    }
    // A newer file or setting may have started another estimate meanwhile.
    if (run !== this.estimateRun) return;
    this.pending.hidden = true;
    this.estimate = estimate;
    this.render();
    this.confirm.disabled = !this.allowed();
    if (!this.confirm.disabled) this.confirm.focus();
  }

  allowed() {
    return Boolean(this.estimate && this.estimate.allowed !== false);
  }

  /** Write the estimate's figures (also after a language switch). */
  render() {
    const e = this.estimate ?? {};
    const show = (id, value) => {
      this.root.querySelector(id).textContent = value == null ? "–" : formatNumber(value);
    };
    show("#estimate-pages", e.pages ?? e.page_count);
    show("#estimate-tokens", e.estimated_tokens ?? e.tokens);
    show("#estimate-credits", e.estimated_credits ?? e.credits);
    show("#estimate-balance", e.balance);
    show("#estimate-ocr", e.ocr_pages);
    this.root.querySelector("#estimate-ocr-row").hidden = !e.ocr_pages;
    if (this.file && this.file.name) {
      this.fileName.textContent = t("submit.chosen", {
        name: this.file.name,
        size: formatSize(this.file.size),
      });
    }
    this.root.querySelector("#estimate-async").hidden = !e.async;
    if (!this.estimate) {
      this.verdict.textContent = "";
      return;
    }
    this.verdict.textContent = t(this.allowed() ? "estimate.allowed" : "estimate.refused");
    this.verdict.className = this.allowed() ? "ok" : "refused";
  }
}
