/**
 * i18next with one namespace per feature: `src/features/<area>/locales/<lang>.json`
 * is the namespace `<area>`, and `src/locales/<lang>/common.json` the shared one.
 * Resources are bundled (no fetch at start), so a screen never flashes its keys.
 */
import i18n from "i18next";
import { initReactI18next } from "react-i18next";

import { initialLanguage, type Language, LANGUAGES, rememberLanguage } from "./language";

type Resources = Record<string, Record<string, Record<string, unknown>>>;

export function setUpI18n(namespaces: Record<Language, Record<string, Record<string, unknown>>>) {
  const resources: Resources = {};
  for (const language of LANGUAGES) resources[language] = namespaces[language];
  void i18n.use(initReactI18next).init({
    resources,
    lng: initialLanguage(),
    fallbackLng: false,
    defaultNS: "common",
    ns: Object.keys(namespaces["zh-CN"]),
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    saveMissing: true,
    missingKeyHandler: (_languages, namespace, key) => {
      // Surfaced to the browser tests, which fail on any untranslated key.
      console.error(`i18n: missing key ${namespace}:${key}`);
    },
  });
  i18n.on("languageChanged", (language) => {
    document.documentElement.lang = language;
    if (LANGUAGES.includes(language as Language)) rememberLanguage(language as Language);
  });
  document.documentElement.lang = i18n.language;
  return i18n;
}
