/**
 * i18next with one namespace per feature: `src/features/<area>/locales/<lang>.json`
 * is the namespace `<area>`, loaded with the feature's code (a screen suspends until
 * its strings are there, so it never flashes its keys); `src/locales/<lang>/common.json`
 * is bundled with the shell.
 */
import i18n, { type BackendModule, type ResourceKey } from "i18next";
import { initReactI18next } from "react-i18next";

import { initialLanguage, isLanguage, type Language, rememberLanguage } from "./language";

export type Namespace = Record<string, unknown>;
export type LoadNamespace = (language: Language, namespace: string) => Promise<Namespace>;

function lazyNamespaces(load: LoadNamespace): BackendModule {
  return {
    type: "backend",
    init: () => undefined,
    read(language, namespace, callback) {
      if (!isLanguage(language)) {
        callback(null, {});
        return;
      }
      load(language, namespace).then(
        (resources) => callback(null, resources as ResourceKey),
        (error: unknown) => callback(error as Error, false),
      );
    },
  };
}

export function setUpI18n(common: Record<Language, Namespace>, load: LoadNamespace) {
  void i18n
    .use(lazyNamespaces(load))
    .use(initReactI18next)
    .init({
      resources: { "zh-CN": { common: common["zh-CN"] }, en: { common: common.en } },
      partialBundledLanguages: true,
      lng: initialLanguage(),
      fallbackLng: false,
      defaultNS: "common",
      ns: ["common"],
      interpolation: { escapeValue: false }, // React escapes
      saveMissing: true,
      missingKeyHandler: (_languages, namespace, key) => {
        // Surfaced to the browser tests, which fail on any untranslated key.
        console.error(`i18n: missing key ${namespace}:${key}`);
      },
    });
  i18n.on("languageChanged", (language) => {
    document.documentElement.lang = language;
    if (isLanguage(language)) rememberLanguage(language);
  });
  document.documentElement.lang = i18n.language;
  return i18n;
}
