import { reactive, ref, type Ref } from 'vue'
import type { Page } from '@/api/types'
import { showError } from '@/composables/errors'

/** Which page of a list to read, as the API's list endpoints take it. */
export interface Paging {
  page: number
  page_size: number
}

/**
 * A list read a page at a time, as the admin lists show it under a ListPagination:
 * `load` reads the current page, `search` starts again at the first (the filters
 * changed). A failed read is shown and leaves the list as it was.
 */
export function usePagedList<T>(read: (paging: Paging) => Promise<Page<T>>, pageSize = 20) {
  const items = ref([]) as Ref<T[]>
  const total = ref(0)
  const loading = ref(false)
  /** Whether a page was read yet: the empty state waits for it. */
  const loaded = ref(false)
  const paging = reactive<Paging>({ page: 1, page_size: pageSize })

  async function load() {
    loading.value = true
    try {
      const page = await read({ page: paging.page, page_size: paging.page_size })
      items.value = page.items
      total.value = page.total
      loaded.value = true
    } catch (error) {
      showError(error)
    } finally {
      loading.value = false
    }
  }

  function search() {
    paging.page = 1
    void load()
  }

  return { items, total, loading, loaded, paging, load, search }
}
