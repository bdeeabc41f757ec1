// The exam a results page is about, read from the route (`/exam-admin/:id/...`).
import { computed, ref } from 'vue'
import { useRoute } from 'vue-router'
import { ApiError } from '@/api'
import type { AdminExamDetail } from '@/api/types'
import { showError } from '@/composables/errors'
import { examAdminApi } from './api'

export function useResultsExam() {
  const route = useRoute()
  const examId = computed(() => Number(route.params.id))
  const exam = ref<AdminExamDetail | null>(null)
  /** The exam does not exist or is outside the caller's scope. */
  const notFound = ref(false)

  async function loadExam(): Promise<void> {
    notFound.value = false
    try {
      exam.value = await examAdminApi.get(examId.value)
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) notFound.value = true
      else showError(error)
    }
  }

  return { examId, exam, notFound, loadExam }
}
