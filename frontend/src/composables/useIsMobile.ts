import { onBeforeUnmount, ref, type Ref } from 'vue'

/** The width below which the layout switches to its phone form. */
export const MOBILE_QUERY = '(max-width: 768px)'

/** Whether the screen is phone-sized, kept up to date as the window changes. */
export function useIsMobile(): Ref<boolean> {
  const media = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(MOBILE_QUERY) : null
  const isMobile = ref(media?.matches ?? false)
  if (media) {
    const update = (event: MediaQueryListEvent) => {
      isMobile.value = event.matches
    }
    media.addEventListener('change', update)
    onBeforeUnmount(() => media.removeEventListener('change', update))
  }
  return isMobile
}
