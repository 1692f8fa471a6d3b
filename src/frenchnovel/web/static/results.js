// The results as a book: one row per original sentence with its short pieces beneath it, a
// heading where a chapter starts, a chapter menu that jumps to it, a filter « rewritten only »,
// searchable, one page of rows at a time so that a book of 20,000 sentences stays smooth (the
// DOM never holds more than a page).

import { chapterList, firstOfChapter, groupSentences } from "./book.js";
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
    this.chapterMenu = root.querySelector("#results-chapter");
    this.onlyRewritten = root.querySelector("#results-rewritten-only");
    this.pagerStatus = root.querySelector("#pager-status");
    this.buttons = {
      first: root.querySelector("#pager-first"),
      prev: root.querySelector("#pager-prev"),
      next: root.querySelector("#pager-next"),
      last: root.querySelector("#pager-last"),
    };
    this.sentences = [];
    this.groups = [];
    this.chapters = [];
    this.keys = null;
    this.visible = [];
    this.page = 0;
    this.searchTimer = null;

    this.search.addEventListener("input", () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.filter(), SEARCH_DELAY_MS);
    });
    this.onlyRewritten.addEventListener("change", () => this.filter());
    this.chapterMenu.addEventListener("change", () => {
      if (this.chapterMenu.value) this.jumpTo(Number(this.chapterMenu.value));
    });
    this.buttons.first.addEventListener("click", () => this.goTo(0));
    this.buttons.prev.addEventListener("click", () => this.goTo(this.page - 1));
    this.buttons.next.addEventListener("click", () => this.goTo(this.page + 1));
    this.buttons.last.addEventListener("click", () => this.goTo(this.pageCount() - 1));
  }

  /** Show new sentences (objects with index, text, original, page, rewritten, over_limit,
   * chapter) and the book's chapters (index, title, part), when the result has them. */
  load(sentences, chapters = []) {
    this.sentences = sentences ?? [];
    this.groups = groupSentences(this.sentences);
    this.chapters = chapterList(this.sentences, chapters);
    this.keys = null; // folded lazily, on the first search
    this.search.value = "";
    this.onlyRewritten.checked = false;
    this.visible = this.groups;
    this.page = 0;
    this.root.hidden = false;
    this.render();
  }

  chapterTitle(index) {
    const chapter = this.chapters.find((c) => c.index === index);
    const title = chapter?.title || t("results.chapter.untitled", { n: formatNumber(index) });
    return chapter?.part && chapter.part !== title ? `${chapter.part} · ${title}` : title;
  }

  renderMenu() {
    const prompt = new Option(t("results.chapter.choose"), "");
    const options = this.chapters.map((c) => new Option(this.chapterTitle(c.index), c.index));
    this.chapterMenu.replaceChildren(prompt, ...options);
    this.chapterMenu.closest("label").hidden = this.chapters.length < 2;
  }

  /** Show the page where chapter `index` starts, its heading at the top of the view. */
  jumpTo(index) {
    const at = firstOfChapter(this.visible, index);
    if (at < 0) return;
    this.goTo(Math.floor(at / PAGE_SIZE));
    const heading = this.body.querySelector(`tr[data-chapter="${this.visible[at].chapter}"]`);
    heading?.scrollIntoView({ block: "start" });
    heading?.querySelector("th")?.focus();
  }

  hide() {
    this.root.hidden = true;
    this.sentences = [];
    this.groups = [];
    this.visible = [];
    this.body.replaceChildren();
  }

  filter() {
    const query = fold(this.search.value.trim());
    const only = this.onlyRewritten.checked;
    if (query) {
      this.keys ??= this.groups.map((g) =>
        fold([g.original, ...g.pieces.map((s) => s.text)].join("\u0000")),
      );
    }
    this.visible = this.groups.filter(
      (g, i) => (!only || g.rewritten) && (!query || this.keys[i].includes(query)),
    );
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
    this.matches.textContent =
      this.search.value.trim() || this.onlyRewritten.checked
        ? tn("results.matches", this.visible.length)
        : "";
    this.renderMenu();
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
    const rows = [];
    let previous = start > 0 ? this.visible[start - 1].chapter : -1;
    for (const group of this.visible.slice(start, start + PAGE_SIZE)) {
      // A heading where a chapter starts, and at the top of a page to say where we are.
      if (group.chapter > 0 && (group.chapter !== previous || rows.length === 0)) {
        rows.push(this.headingRow(group.chapter));
      }
      previous = group.chapter;
      rows.push(this.row(group));
    }
    if (rows.length === 0) {
      const tr = document.createElement("tr");
      const td = cell(t("results.empty"), "");
      td.colSpan = 3;
      tr.append(td);
      rows.push(tr);
    }
    this.body.replaceChildren(...rows);
  }

  headingRow(chapter) {
    const tr = document.createElement("tr");
    tr.className = "chapter-row";
    tr.dataset.chapter = chapter;
    const th = document.createElement("th");
    th.scope = "colgroup";
    th.colSpan = 3;
    th.tabIndex = -1;
    th.textContent = this.chapterTitle(chapter);
    tr.append(th);
    return tr;
  }

  /** One original sentence; when it was rewritten, its short sentences beneath it. */
  row(group) {
    const tr = document.createElement("tr");
    tr.className = group.rewritten ? "sentence rewritten" : "sentence";
    const td = cell("", t("results.col.text"), "text");
    // textContent only: sentences come from the user's book and are never markup.
    const source = document.createElement("p");
    source.className = "source";
    source.textContent = group.original;
    td.append(source);
    if (group.rewritten) {
      const list = document.createElement("ol");
      list.className = "pieces";
      list.setAttribute("aria-label", t("results.pieces"));
      for (const piece of group.pieces) {
        const item = document.createElement("li");
        item.className = "piece";
        item.textContent = piece.text;
        markOver(item, piece.over_limit);
        list.append(item);
      }
      td.append(list);
    } else {
      markOver(source, group.overLimit);
    }
    tr.append(
      cell(formatNumber(group.number), t("results.col.index"), "num"),
      td,
      cell(formatNumber(group.page), t("results.col.page"), "num"),
    );
    return tr;
  }
}

function markOver(element, over) {
  if (!over) return;
  // A badge drawn by CSS from data-badge, so the element's text stays the sentence alone.
  element.dataset.badge = t("results.over.badge");
  element.title = t("results.over.title");
}

function cell(text, label, className = "") {
  const td = document.createElement("td");
  td.textContent = text;
  // The label is shown before the value when the table folds into cards on a phone.
  if (label) td.dataset.label = label;
  if (className) td.className = className;
  return td;
}
