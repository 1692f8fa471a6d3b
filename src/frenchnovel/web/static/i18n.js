// The page's words in French and English, and the one place that puts them on the page.
// Every error code of the API has a sentence here, so a reader never sees a bare code.

const STRINGS = {
  fr: {
    "app.title": "Romans français en phrases courtes",
    "app.tagline":
      "Déposez un roman en PDF : chaque phrase longue devient plusieurs phrases courtes.",
    "app.skip": "Aller au contenu",
    "lang.label": "Langue",
    "account.title": "Votre compte",
    "account.token": "Jeton d’accès (API)",
    "account.save": "Enregistrer",
    "account.forget": "Oublier",
    "account.balance": "Crédits :",
    "account.saved": "Jeton enregistré dans ce navigateur.",
    "account.missing": "Saisissez votre jeton pour commencer.",
    "submit.title": "Choisir un roman",
    "submit.drop": "Déposez un PDF ici, ou",
    "submit.choose": "Choisir un fichier",
    "submit.chosen": "Fichier : {name} ({size})",
    "settings.title": "Réglages",
    "settings.limit": "Longueur maximale d’une phrase (mots)",
    "settings.min": "Longueur minimale d’un morceau (mots)",
    "settings.dialogue": "Laisser les dialogues tels quels",
    "settings.engine": "Moteur",
    "settings.model": "Modèle",
    "settings.model.balanced": "équilibré",
    "settings.model.quality": "qualité",
    "settings.model.speed": "rapidité",
    "settings.save": "En faire mes réglages par défaut",
    "settings.saved": "Réglages enregistrés.",
    "estimate.title": "Estimation",
    "estimate.pending": "Estimation en cours…",
    "estimate.pages": "Pages",
    "estimate.tokens": "Jetons estimés",
    "estimate.credits": "Crédits estimés",
    "estimate.balance": "Solde",
    "estimate.allowed": "Vous avez assez de crédits.",
    "estimate.refused": "Vous n’avez pas assez de crédits pour ce fichier.",
    "estimate.confirm": "Lancer le traitement",
    "progress.title": "Avancement",
    "progress.status": "État",
    "progress.chunks": "Morceaux terminés",
    "progress.step": "Étape",
    "progress.elapsed": "Temps écoulé",
    "progress.cancel": "Annuler",
    "progress.live": "Suivi en direct",
    "progress.polling": "Suivi par interrogation",
    "step.queued": "en file d’attente",
    "step.processing": "découpage des phrases",
    "step.merging": "assemblage des morceaux",
    "step.completed": "terminé",
    "step.failed": "échoué",
    "step.cancelled": "annulé",
    "step.reused": "résultat déjà connu, réutilisé",
    "status.pending": "en attente",
    "status.processing": "en cours",
    "status.completed": "terminé",
    "status.failed": "échoué",
    "status.cancelled": "annulé",
    "results.title": "Résultats",
    "results.count": "{count} phrases, dont {rewritten} réécrites",
    "results.search": "Rechercher",
    "results.matches": "{count} phrases trouvées",
    "results.col.index": "N°",
    "results.col.text": "Phrase",
    "results.col.original": "Phrase d’origine",
    "results.col.page": "Page",
    "results.download": "Télécharger",
    "results.empty": "Aucune phrase.",
    "pager.label": "Pages des résultats",
    "pager.first": "Première page",
    "pager.prev": "Page précédente",
    "pager.next": "Page suivante",
    "pager.last": "Dernière page",
    "pager.status": "Page {page} sur {pages}",
    "jobs.title": "Vos traitements",
    "jobs.refresh": "Actualiser",
    "jobs.more": "Plus ancien",
    "jobs.col.file": "Fichier",
    "jobs.col.status": "État",
    "jobs.col.created": "Créé le",
    "jobs.col.progress": "Avancement",
    "jobs.col.action": "Action",
    "jobs.open": "Ouvrir",
    "jobs.open.label": "Ouvrir {name}",
    "jobs.empty": "Aucun traitement pour l’instant.",
    "error.title": "Erreur :",
    "error.INVALID_PDF": "Ce fichier n’est pas un PDF lisible.",
    "error.ENCRYPTED_PDF": "Ce PDF est protégé par un mot de passe ; retirez la protection puis réessayez.",
    "error.EMPTY_PDF": "Ce PDF ne contient aucune page.",
    "error.NO_TEXT_LAYER":
      "Ce PDF ne contient pas de texte (c’est sans doute une numérisation) ; il faut d’abord le passer à la reconnaissance de caractères.",
    "error.FILE_TOO_LARGE": "Ce fichier est trop volumineux.",
    "error.TOO_MANY_PAGES": "Ce PDF a trop de pages.",
    "error.INVALID_SETTINGS": "Un réglage est hors des limites permises.",
    "error.INSUFFICIENT_CREDITS": "Vous n’avez pas assez de crédits pour ce traitement.",
    "error.RATE_LIMITED": "Trop d’envois en peu de temps ; réessayez un peu plus tard.",
    "error.UNAUTHORIZED": "Ce jeton d’accès n’est pas reconnu.",
    "error.JOB_NOT_FOUND": "Ce traitement est introuvable.",
    "error.INVALID_JOB_STATUS": "Ce traitement ne peut plus être modifié dans son état actuel.",
    "error.TOO_MANY_JOBS":
      "Vous avez déjà trop de traitements en cours ; attendez qu’un d’eux se termine.",
    "error.CHUNK_PROCESSING_ERROR": "Une partie du livre n’a pas pu être traitée.",
    "error.TASK_TIMEOUT": "Le traitement a pris trop de temps et a été arrêté.",
    "error.ENGINE_ERROR": "Le moteur de réécriture a refusé ou échoué.",
    "error.PROCESSING_ERROR": "Le traitement a échoué.",
    "error.NETWORK": "Le service ne répond pas ; vérifiez votre connexion.",
    "error.UNKNOWN": "Une erreur inattendue s’est produite.",
  },
  en: {
    "app.title": "French novels in short sentences",
    "app.tagline": "Drop a novel as a PDF: every long sentence becomes several short ones.",
    "app.skip": "Skip to content",
    "lang.label": "Language",
    "account.title": "Your account",
    "account.token": "Access token (API)",
    "account.save": "Save",
    "account.forget": "Forget",
    "account.balance": "Credits:",
    "account.saved": "Token saved in this browser.",
    "account.missing": "Enter your token to begin.",
    "submit.title": "Choose a novel",
    "submit.drop": "Drop a PDF here, or",
    "submit.choose": "Choose a file",
    "submit.chosen": "File: {name} ({size})",
    "settings.title": "Settings",
    "settings.limit": "Longest sentence kept as is (words)",
    "settings.min": "Shortest piece (words)",
    "settings.dialogue": "Leave dialogue unchanged",
    "settings.engine": "Engine",
    "settings.model": "Model",
    "settings.model.balanced": "balanced",
    "settings.model.quality": "quality",
    "settings.model.speed": "speed",
    "settings.save": "Make these my defaults",
    "settings.saved": "Settings saved.",
    "estimate.title": "Estimate",
    "estimate.pending": "Estimating…",
    "estimate.pages": "Pages",
    "estimate.tokens": "Estimated tokens",
    "estimate.credits": "Estimated credits",
    "estimate.balance": "Balance",
    "estimate.allowed": "You have enough credits.",
    "estimate.refused": "You do not have enough credits for this file.",
    "estimate.confirm": "Start processing",
    "progress.title": "Progress",
    "progress.status": "Status",
    "progress.chunks": "Chunks done",
    "progress.step": "Step",
    "progress.elapsed": "Elapsed time",
    "progress.cancel": "Cancel",
    "progress.live": "Live updates",
    "progress.polling": "Updates by polling",
    "step.queued": "queued",
    "step.processing": "splitting sentences",
    "step.merging": "merging the chunks",
    "step.completed": "done",
    "step.failed": "failed",
    "step.cancelled": "cancelled",
    "step.reused": "known result, reused",
    "status.pending": "pending",
    "status.processing": "processing",
    "status.completed": "completed",
    "status.failed": "failed",
    "status.cancelled": "cancelled",
    "results.title": "Results",
    "results.count": "{count} sentences, {rewritten} of them rewritten",
    "results.search": "Search",
    "results.matches": "{count} sentences found",
    "results.col.index": "#",
    "results.col.text": "Sentence",
    "results.col.original": "Original sentence",
    "results.col.page": "Page",
    "results.download": "Download",
    "results.empty": "No sentences.",
    "pager.label": "Result pages",
    "pager.first": "First page",
    "pager.prev": "Previous page",
    "pager.next": "Next page",
    "pager.last": "Last page",
    "pager.status": "Page {page} of {pages}",
    "jobs.title": "Your jobs",
    "jobs.refresh": "Refresh",
    "jobs.more": "Older",
    "jobs.col.file": "File",
    "jobs.col.status": "Status",
    "jobs.col.created": "Created",
    "jobs.col.progress": "Progress",
    "jobs.col.action": "Action",
    "jobs.open": "Open",
    "jobs.open.label": "Open {name}",
    "jobs.empty": "No jobs yet.",
    "error.title": "Error:",
    "error.INVALID_PDF": "This file is not a readable PDF.",
    "error.ENCRYPTED_PDF": "This PDF is password-protected; remove the protection and try again.",
    "error.EMPTY_PDF": "This PDF has no pages.",
    "error.NO_TEXT_LAYER":
      "This PDF has no text (it is probably a scan); run it through character recognition first.",
    "error.FILE_TOO_LARGE": "This file is too large.",
    "error.TOO_MANY_PAGES": "This PDF has too many pages.",
    "error.INVALID_SETTINGS": "A setting is outside its allowed range.",
    "error.INSUFFICIENT_CREDITS": "You do not have enough credits for this job.",
    "error.RATE_LIMITED": "Too many uploads in a short time; try again a little later.",
    "error.UNAUTHORIZED": "This access token is not recognised.",
    "error.JOB_NOT_FOUND": "This job cannot be found.",
    "error.INVALID_JOB_STATUS": "This job can no longer be changed in its current state.",
    "error.TOO_MANY_JOBS": "You already have too many jobs running; wait for one to finish.",
    "error.CHUNK_PROCESSING_ERROR": "Part of the book could not be processed.",
    "error.TASK_TIMEOUT": "The job took too long and was stopped.",
    "error.ENGINE_ERROR": "The rewriting engine refused or failed.",
    "error.PROCESSING_ERROR": "The processing failed.",
    "error.NETWORK": "The service does not answer; check your connection.",
    "error.UNKNOWN": "Something unexpected went wrong.",
  },
};

const STORAGE_KEY = "frenchnovel.lang";
let current = pickInitialLanguage();

function pickInitialLanguage() {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved && saved in STRINGS) return saved;
  return (navigator.language || "fr").toLowerCase().startsWith("en") ? "en" : "fr";
}

/** The language in use: "fr" or "en". */
export function language() {
  return current;
}

/** The text for `key` in the current language, with `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

/** True when `key` has a translation (used to tell known error codes from unknown ones). */
export function has(key) {
  return key in STRINGS[current];
}

/** A number written the way the current language writes it. */
export function formatNumber(value) {
  return new Intl.NumberFormat(current === "fr" ? "fr-FR" : "en-GB").format(value);
}

/** A date and time written the way the current language writes it. */
export function formatDate(date) {
  return new Intl.DateTimeFormat(current === "fr" ? "fr-FR" : "en-GB", {
    dateStyle: "short",
    timeStyle: "short",
  }).format(date);
}

/**
 * Switch language, remember it, and rewrite every element marked with `data-i18n`
 * (its text) or `data-i18n-<attribute>` (for example `data-i18n-aria-label`).
 */
export function setLanguage(lang, root = document) {
  if (!(lang in STRINGS)) return;
  current = lang;
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  applyTranslations(root);
}

/** Put the current language's words into every marked element under `root`. */
export function applyTranslations(root = document) {
  for (const element of root.querySelectorAll("[data-i18n]")) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of root.querySelectorAll("*")) {
    for (const name of Object.keys(element.dataset)) {
      if (!name.startsWith("i18n") || name === "i18n") continue;
      const attribute = name
        .slice(4)
        .replace(/^[A-Z]/, (c) => c.toLowerCase())
        .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      element.setAttribute(attribute, t(element.dataset[name]));
    }
  }
}
