// The UI language: zh-CN by default, English on request, remembered in localStorage.
import { computed } from 'vue'
import { createI18n } from 'vue-i18n'
import elementEn from 'element-plus/es/locale/lang/en'
import elementZhCn from 'element-plus/es/locale/lang/zh-cn'
import en from './en'
import zhCN, { type MessageSchema } from './zh-CN'

/** The languages the UI speaks. */
export type Locale = 'zh-CN' | 'en'

export const LOCALES: readonly Locale[] = ['zh-CN', 'en']

/** Each language's name in that language, as shown in the switch. */
export const LOCALE_NAMES: Record<Locale, string> = {
  'zh-CN': '简体中文',
  en: 'English',
}

/** The localStorage key that keeps the chosen language. */
export const LOCALE_STORAGE_KEY = 'skillarena.locale'

export const DEFAULT_LOCALE: Locale = 'zh-CN'

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/** The language chosen before, or zh-CN. */
export function storedLocale(): Locale {
  try {
    const value = localStorage.getItem(LOCALE_STORAGE_KEY)
    return isLocale(value) ? value : DEFAULT_LOCALE
  } catch {
    return DEFAULT_LOCALE
  }
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: DEFAULT_LOCALE,
  messages: { 'zh-CN': zhCN, en },
})

/** The current UI language. */
export function currentLocale(): Locale {
  return i18n.global.locale.value
}

/** Switches the UI (and Element Plus, and the API's Accept-Language) to a language and remembers it. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale)
  } catch {
    // Private browsing may refuse storage; the choice then lasts for this page only.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = locale
}

/** Element Plus's own texts (pagination, pickers, empty states) in the current language. */
export const elementLocale = computed(() =>
  i18n.global.locale.value === 'en' ? elementEn : elementZhCn,
)
