// The language switch, and the one place that puts the words of strings.js on the page.

import { STRINGS } from "./strings.js";

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

/** Like t(), choosing `key.one` when `count` calls for the singular in the current language. */
export function tn(key, count, vars = {}) {
  const form = new Intl.PluralRules(current).select(count);
  const chosen = form === "one" && has(`${key}.one`) ? `${key}.one` : key;
  return t(chosen, { count: formatNumber(count), ...vars });
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
