/**
 * The console's two languages. The choice is remembered in a cookie (not in web
 * storage, which the console keeps free of anything about the person).
 */
export const LANGUAGES = ["zh-CN", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

const COOKIE = "crm_lang";

export function isLanguage(value: string | null | undefined): value is Language {
  return LANGUAGES.includes(value as Language);
}

export function rememberedLanguage(): Language | null {
  const match = document.cookie.match(/(?:^|;\s*)crm_lang=([^;]+)/);
  const value = match?.[1] ? decodeURIComponent(match[1]) : null;
  return isLanguage(value) ? value : null;
}

export function rememberLanguage(language: Language): void {
  document.cookie = `${COOKIE}=${encodeURIComponent(language)}; path=/; max-age=31536000; SameSite=Strict`;
}

/** The remembered choice, else the browser's preference, else Chinese. */
export function initialLanguage(): Language {
  const remembered = rememberedLanguage();
  if (remembered) return remembered;
  const preferred = navigator.languages?.find(
    (tag) => tag.startsWith("en") || tag.startsWith("zh"),
  );
  return preferred?.startsWith("en") ? "en" : "zh-CN";
}
