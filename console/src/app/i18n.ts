/** The shared namespace, bundled; each feature's own, loaded with the feature. */
import type { Language } from "@/lib/i18n/language";
import { type Namespace, setUpI18n } from "@/lib/i18n/setup";

import commonEn from "../locales/en/common.json";
import commonZh from "../locales/zh-CN/common.json";

const features = import.meta.glob<Namespace>("../features/*/locales/*.json", {
  import: "default",
});

async function loadFeatureNamespace(language: Language, namespace: string): Promise<Namespace> {
  const load = features[`../features/${namespace}/locales/${language}.json`];
  if (!load) throw new Error(`no ${language} strings for ${namespace}`);
  return load();
}

export const i18n = setUpI18n({ "zh-CN": commonZh, en: commonEn }, loadFeatureNamespace);
