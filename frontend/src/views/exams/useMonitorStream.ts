// The invigilation console's live picture of an exam: one GET for the first paint,
// then server-sent "snapshot" events (see useEventStream for how the feed
// reconnects). Before each new stream the picture is read again, so a lost session
// or a vanished exam stops the console instead of retrying forever.
import { ref, shallowRef, type Ref } from 'vue'
import { ApiError } from '@/api'
import type { MonitorSnapshot } from '@/api/types'
import { useEventStream, type EventStreamOptions } from '@/composables/useEventStream'
import { invigilationApi } from './api'
import { serverOffset } from './monitor'

export function useMonitorStream(examId: Ref<number>, options: EventStreamOptions = {}) {
  const snapshot = shallowRef<MonitorSnapshot | null>(null)
  /** Add to Date.now() to read the server's clock. */
  const offset = ref(0)
  /** Set when the exam cannot be watched (not found, out of scope, signed out). */
  const failure = shallowRef<ApiError | null>(null)

  function apply(next: MonitorSnapshot) {
    snapshot.value = next
    offset.value = serverOffset(next.server_time, Date.now())
  }

  /** Reads the picture once (first paint, and right after an action). */
  async function refresh(): Promise<void> {
    try {
      apply(await invigilationApi.monitor(examId.value))
      failure.value = null
    } catch (error) {
      if (error instanceof ApiError && [401, 403, 404].includes(error.status)) {
        failure.value = error
        stream.stop()
      }
      throw error
    }
  }

  const stream = useEventStream<MonitorSnapshot>({
    ...options,
    url: () => invigilationApi.streamUrl(examId.value),
    event: 'snapshot',
    receive: apply,
    prepare: refresh,
  })

  /** Loads the first picture, then listens; `failure` says when the exam cannot be watched. */
  async function start(): Promise<void> {
    failure.value = null
    await stream.start()
  }

  const { state, reconnects, stop, nudge } = stream
  return { snapshot, offset, state, failure, reconnects, start, stop, refresh, nudge }
}
