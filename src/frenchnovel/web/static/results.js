// The results table: sentence, original sentence and page, searchable, one page of rows at a
// time so that a book of 20,000 sentences stays smooth (the DOM never holds more than a page).

import { formatNumber, t, tn } from "./i18n.js";

const PAGE_SIZE = 25;
const SEARCH_DELAY_MS = 150;

/** Lower case without accents, so that "ete" finds "été". */
export function fold(text) {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase();
}

export class ResultsTable {
  constructor(root) {
    this.root = root;
    this.body = root.querySelector("#results-body");
    this.summary = root.querySelector("#results-summary");
    this.matches = root.querySelector("#results-matches");
    this.search = root.querySelector("#results-search");
    this.pagerStatus = root.querySelector("#pager-status");
    this.buttons = {
      first: root.querySelector("#pager-first"),
      prev: root.querySelector("#pager-prev"),
      next: root.querySelector("#pager-next"),
      last: root.querySelector("#pager-last"),
    };
    this.sentences = [];
    this.keys = null;
    this.visible = [];
    this.page = 0;
    this.searchTimer = null;

    this.search.addEventListener("input", () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.filter(), SEARCH_DELAY_MS);
    });
    this.buttons.first.addEventListener("click", () => this.goTo(0));
    this.buttons.prev.addEventListener("click", () => this.goTo(this.page - 1));
    this.buttons.next.addEventListener("click", () => this.goTo(this.page + 1));
    this.buttons.last.addEventListener("click", () => this.goTo(this.pageCount() - 1));
  }

  /** Show new sentences (objects with index, text, original, page, rewritten, over_limit). */
  load(sentences) {
    this.sentences = sentences ?? [];
    this.keys = null; // folded lazily, on the first search
    this.search.value = "";
    this.visible = this.sentences;
    this.page = 0;
    this.root.hidden = false;
    this.render();
  }

  hide() {
    this.root.hidden = true;
    this.sentences = [];
    this.visible = [];
    this.body.replaceChildren();
  }

  filter() {
    const query = fold(this.search.value.trim());
    if (!query) {
      this.visible = this.sentences;
    } else {
      this.keys ??= this.sentences.map((s) => fold(`${s.text}\u0000${s.original}`));
      this.visible = this.sentences.filter((_, i) => this.keys[i].includes(query));
    }
    this.page = 0;
    this.render();
  }

  pageCount() {
    return Math.max(1, Math.ceil(this.visible.length / PAGE_SIZE));
  }

  goTo(page) {
    this.page = Math.max(0, Math.min(this.pageCount() - 1, page));
    this.render();
  }

  /** Re-render the summary, the current page of rows and the pager (also after a language switch). */
  render() {
    const rewritten = this.sentences.reduce((n, s) => n + (s.rewritten ? 1 : 0), 0);
    const over = this.sentences.reduce((n, s) => n + (s.over_limit ? 1 : 0), 0);
    const summary = t("results.count", {
      count: formatNumber(this.sentences.length),
      rewritten: formatNumber(rewritten),
    });
    this.summary.textContent = over
      ? `${summary}, ${t("results.over", { count: formatNumber(over) })}`
      : summary;
    this.matches.textContent = this.search.value.trim()
      ? tn("results.matches", this.visible.length)
      : "";
    this.renderRows();
    const pages = this.pageCount();
    this.pagerStatus.textContent = t("pager.status", {
      page: formatNumber(this.page + 1),
      pages: formatNumber(pages),
    });
    this.buttons.first.disabled = this.buttons.prev.disabled = this.page === 0;
    this.buttons.next.disabled = this.buttons.last.disabled = this.page >= pages - 1;
  }

  renderRows() {
    const start = this.page * PAGE_SIZE;
    const rows = this.visible.slice(start, start + PAGE_SIZE).map((s) => this.row(s));
    if (rows.length === 0) {
      const tr = document.createElement("tr");
      const td = cell(t("results.empty"), "");
      td.colSpan = 4;
      tr.append(td);
      rows.push(tr);
    }
    this.body.replaceChildren(...rows);
  }

  row(sentence) {
    const tr = document.createElement("tr");
    if (sentence.rewritten) tr.className = "rewritten";
    // textContent only: sentences come from the user's book and are never markup.
    const text = cell(sentence.text, t("results.col.text"));
    if (sentence.over_limit) {
      // A badge drawn by CSS from data-badge, so the cell's text stays the sentence alone.
      text.dataset.badge = t("results.over.badge");
      text.title = t("results.over.title");
    }
    tr.append(
      cell(formatNumber(sentence.index + 1), t("results.col.index"), "num"),
      text,
      cell(sentence.original, t("results.col.original"), "original"),
      cell(formatNumber(sentence.page), t("results.col.page"), "num"),
    );
    return tr;
  }
}

function cell(text, label, className = "") {
  const td = document.createElement("td");
  td.textContent = text;
  // The label is shown before the value when the table folds into cards on a phone.
  if (label) td.dataset.label = label;
  if (className) td.className = className;
  return td;
}
