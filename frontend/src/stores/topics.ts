// The topic tree, loaded once and shared by every page that filters or labels by topic.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { topicsApi, type Topic } from '@/api'
import { i18n } from '@/i18n'
import { topicPath } from '@/utils/topicTree'

export const useTopicsStore = defineStore('topics', () => {
  const topics = ref<Topic[]>([])
  const loaded = ref(false)
  let pending: Promise<Topic[]> | null = null

  /** Loads the topics (once, unless forced); failures reach the caller. */
  async function load(force = false): Promise<Topic[]> {
    if (loaded.value && !force) return topics.value
    pending ??= topicsApi.list().finally(() => {
      pending = null
    })
    topics.value = await pending
    loaded.value = true
    return topics.value
  }

  /** A topic's path from the top in the UI language, or '' when unknown. */
  function path(id: number | null | undefined): string {
    if (id == null) return ''
    return topicPath(topics.value, id, i18n.global.locale.value)
  }

  return { topics, loaded, load, path }
})
