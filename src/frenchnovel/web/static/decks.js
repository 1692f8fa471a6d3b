// Learning sets on the page: "Make a drill deck" from finished jobs, follow it, download it
// (Anki, CSV, XLSX, TXT, JSON), and the learner's own word lists with their ingestion report.
// Its words live here (French and English) so that the page's shared strings stay untouched.

import { ApiError, getJson, request } from "./api.js";
import { language } from "./i18n.js";

const $ = (selector) => document.querySelector(selector);

const WORDS = {
  fr: {
    title: "Jeux de phrases à apprendre",
    step: "Faire un paquet de phrases à apprendre",
    refresh: "Actualiser",
    intro:
      "À partir de vos livres traités : un paquet de phrases courtes faites des mots les plus courants (exercice), ou le plus petit ensemble de phrases où chaque mot d’une liste apparaît (couverture). Gratuit : les résultats sont déjà payés.",
    jobs: "Livres traités",
    mode: "Mode",
    "mode.drill": "Exercice",
    "mode.cover": "Couverture",
    list: "Liste de mots",
    count: "Nombre de phrases (exercice)",
    length: "Longueur en mots (de, à)",
    "length.max": "Longueur maximale",
    build: "Faire le paquet",
    cancel: "Annuler",
    download: "Télécharger :",
    summary: "{size} phrases, {covered} mots de la liste sur {coverable}",
    bound: " ; glouton {greedy}, borne inférieure {bound}",
    failed: "Le paquet n’a pas pu être fait : {message}",
    cancelled: "Paquet annulé.",
    none: "Aucun livre traité pour l’instant.",
    "lists.title": "Mes listes de mots",
    "lists.intro": "Un fichier TXT ou CSV, un mot par ligne (ou mot|variante). Vos listes ne sont visibles que par vous.",
    "lists.upload": "Envoyer la liste",
    report: "{entries} entrées sur {lines} lignes : {duplicates} doublons, {merged} fusionnées, {unknown} inconnues du dictionnaire",
  },
  en: {
    title: "Learning sets",
    step: "Make a drill deck",
    refresh: "Refresh",
    intro:
      "From your processed books: a deck of short sentences made of the commonest words (drill), or the fewest sentences in which every word of a list appears (cover). Free: the results are already paid for.",
    jobs: "Processed books",
    mode: "Mode",
    "mode.drill": "Drill",
    "mode.cover": "Cover",
    list: "Word list",
    count: "Sentences (drill)",
    length: "Length in words (from, to)",
    "length.max": "Longest",
    build: "Make the deck",
    cancel: "Cancel",
    download: "Download:",
    summary: "{size} sentences, {covered} of {coverable} list words",
    bound: "; greedy {greedy}, lower bound {bound}",
    failed: "The deck could not be made: {message}",
    cancelled: "Deck cancelled.",
    none: "No processed book yet.",
    "lists.title": "My word lists",
    "lists.intro": "A TXT or CSV file, one word a line (or word|variant). Only you see your lists.",
    "lists.upload": "Upload the list",
    report: "{entries} entries from {lines} lines: {duplicates} duplicates, {merged} merged, {unknown} unknown to the dictionary",
  },
};

function w(key, vars = {}) {
  const text = (WORDS[language()] ?? WORDS.en)[key] ?? WORDS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

function translate() {
  for (const element of document.querySelectorAll("[data-deck-i18n]")) {
    element.textContent = w(element.dataset.deckI18n);
  }
  for (const element of document.querySelectorAll("[data-deck-i18n-aria-label]")) {
    element.setAttribute("aria-label", w(element.dataset.deckI18nAriaLabel));
  }
}

let deckId = null;
let timer = null;

function report(error) {
  const message = error instanceof ApiError ? `${error.code}: ${error.message}` : String(error);
  $("#deck-step").textContent = message;
  $("#list-report").textContent = message;
}

async function loadJobs() {
  const { body } = await getJson("/jobs?page=1&per_page=50");
  const select = $("#deck-jobs");
  select.replaceChildren();
  const done = body.jobs.filter((job) => job.status === "completed" && job.result_available);
  for (const [i, job] of done.entries()) {
    const option = new Option(job.filename || job.job_id, job.job_id, i === 0, i === 0);
    select.append(option);
  }
  $("#deck-build").disabled = done.length === 0;
  if (done.length === 0) $("#deck-step").textContent = w("none");
}

async function loadLists() {
  const { body } = await getJson("/decks/lists");
  const select = $("#deck-list");
  const chosen = select.value || "fr-2k";
  select.replaceChildren();
  const mine = $("#lists-body");
  mine.replaceChildren();
  for (const entry of body) {
    const label = entry.name ? `${entry.name} (${entry.entries})` : `${entry.word_list} (${entry.entries})`;
    select.append(new Option(label, entry.word_list, false, entry.word_list === chosen));
    if (entry.name) {
      const item = document.createElement("li");
      item.textContent = `${label} — ${w("report", summaryOf(entry.report))}`;
      mine.append(item);
    }
  }
}

function summaryOf(r) {
  return {
    entries: r.entries,
    lines: r.lines,
    duplicates: r.duplicates.length,
    merged: r.merged.length,
    unknown: r.unknown.length,
  };
}

async function build(event) {
  event.preventDefault();
  const jobIds = [...$("#deck-jobs").selectedOptions].map((option) => option.value);
  const body = {
    job_ids: jobIds,
    mode: $("#deck-mode").value,
    word_list: $("#deck-list").value || "fr-2k",
    target_count: Number($("#deck-count").value),
    len_min: Number($("#deck-len-min").value),
    len_max: Number($("#deck-len-max").value),
  };
  try {
    const answer = await getJson("/decks", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    deckId = answer.body.deck_id;
    $("#deck-done").hidden = true;
    $("#deck-progress").hidden = false;
    follow();
  } catch (error) {
    report(error);
  }
}

async function follow() {
  clearTimeout(timer);
  if (!deckId) return;
  const { body: deck } = await getJson(`/decks/${deckId}`);
  $("#deck-bar").value = deck.progress_percent;
  $("#deck-percent").textContent = `${deck.progress_percent} %`;
  $("#deck-step").textContent = deck.current_step;
  if (deck.status === "completed") return showDeck();
  if (deck.status === "failed") {
    $("#deck-step").textContent = w("failed", { message: deck.error?.message ?? "" });
  } else if (deck.status === "cancelled") {
    $("#deck-step").textContent = w("cancelled");
  } else {
    timer = setTimeout(follow, 1000);
  }
}

async function showDeck() {
  const { body: deck } = await getJson(`/decks/${deckId}/result?format=json`);
  const s = deck.stats;
  let summary = w("summary", s);
  if (s.mode === "cover") summary += w("bound", { greedy: s.greedy, bound: s.lower_bound });
  $("#deck-summary").textContent = summary;
  const cards = $("#deck-cards");
  cards.replaceChildren();
  for (const card of deck.sentences.slice(0, 50)) {
    const item = document.createElement("li");
    item.textContent = card.text;
    item.title = card.original;
    cards.append(item);
  }
  $("#deck-progress").hidden = true;
  $("#deck-done").hidden = false;
}

async function download(format) {
  const response = await request(`/decks/${deckId}/result?format=${format}`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = `deck.${format}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function upload() {
  const file = $("#list-file").files[0];
  if (!file) return;
  const form = new FormData();
  form.append("file", file, file.name);
  try {
    const { body } = await getJson("/decks/lists", { method: "POST", body: form });
    $("#list-report").textContent = w("report", summaryOf(body.report));
    await loadLists();
    $("#deck-list").value = body.word_list;
  } catch (error) {
    report(error);
  }
}

async function refresh() {
  try {
    await Promise.all([loadJobs(), loadLists()]);
  } catch (error) {
    if (error?.code !== "UNAUTHORIZED") report(error);
  }
}

/** The step after a job: a button under its results that leads to the deck form. */
function offerStep() {
  const results = $("#results");
  if (!results || $("#deck-step-button")) return;
  const button = document.createElement("button");
  button.type = "button";
  button.id = "deck-step-button";
  button.className = "primary";
  button.dataset.deckI18n = "step";
  button.textContent = w("step");
  button.addEventListener("click", async () => {
    await refresh();
    $("#decks").scrollIntoView({ block: "start" });
    $("#deck-mode").focus();
  });
  results.append(button);
}

offerStep();
translate();
$("#deck-form").addEventListener("submit", build);
$("#decks-refresh").addEventListener("click", refresh);
$("#list-upload").addEventListener("click", upload);
$("#deck-cancel").addEventListener("click", async () => {
  if (deckId) await request(`/decks/${deckId}/cancel`, { method: "POST" }).catch(report);
  follow();
});
for (const button of document.querySelectorAll("[data-deck-format]")) {
  button.addEventListener("click", () => download(button.dataset.deckFormat).catch(report));
}
for (const button of document.querySelectorAll(".lang")) {
  button.addEventListener("click", () => setTimeout(translate, 0));
}
document.querySelector("#token-form")?.addEventListener("submit", () => setTimeout(refresh, 300));
refresh();
