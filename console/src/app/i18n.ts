/** Gathers every namespace: the shared one and each feature's own. */
import type { Language } from "@/lib/i18n/language";
import { setUpI18n } from "@/lib/i18n/setup";

type Bundle = Record<string, Record<string, unknown>>;

const shared = import.meta.glob<Record<string, unknown>>("../locales/*/*.json", {
  eager: true,
  import: "default",
});
const features = import.meta.glob<Record<string, unknown>>("../features/*/locales/*.json", {
  eager: true,
  import: "default",
});

function collect(): Record<Language, Bundle> {
  const bundles: Record<Language, Bundle> = { "zh-CN": {}, en: {} };
  for (const [path, content] of Object.entries(shared)) {
    const [, language, namespace] = path.match(/locales\/([^/]+)\/([^/]+)\.json$/) ?? [];
    if (language && namespace) bundles[language as Language][namespace] = content;
  }
  for (const [path, content] of Object.entries(features)) {
    const [, namespace, language] = path.match(/features\/([^/]+)\/locales\/([^/]+)\.json$/) ?? [];
    if (language && namespace) bundles[language as Language][namespace] = content;
  }
  return bundles;
}

export const i18n = setUpI18n(collect());
