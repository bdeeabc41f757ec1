// The counts of approved questions of the chosen banks, merged, loaded once per bank.
import { ref, shallowRef, watch, type Ref } from 'vue'
import { questionsApi, type QuestionCount } from '@/api'
import { showError } from '@/composables/errors'
import { mergeCounts } from './blueprint'

/** Keeps `counts` in step with the banks in `bankIds`; null while loading or when none is chosen. */
export function useBankCounts(bankIds: Ref<readonly number[]>) {
  const cache = new Map<number, QuestionCount[]>()
  const counts = shallowRef<Map<string, number> | null>(null)
  const loading = ref(false)
  let generation = 0

  async function refresh() {
    const ids = [...bankIds.value]
    const mine = ++generation
    if (ids.length === 0) {
      counts.value = null
      return
    }
    loading.value = true
    try {
      await Promise.all(
        ids.filter((id) => !cache.has(id)).map(async (id) => cache.set(id, await questionsApi.counts(id))),
      )
      if (mine === generation) counts.value = mergeCounts(ids.map((id) => cache.get(id) ?? []))
    } catch (error) {
      showError(error)
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  watch(() => [...bankIds.value].join(','), refresh, { immediate: true })

  return { counts, loading, refresh }
}
