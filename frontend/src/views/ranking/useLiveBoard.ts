// The practical round's live board: server-sent `board` events (only signed-off
// marks), without sign-in; see useEventStream for how the feed reconnects. The server
// sends a board at least every 15 s, so a stream silent for longer than `staleAfter`
// is taken as dead (a projector left on a flaky network) and opened again.
import { shallowRef, type Ref } from 'vue'
import type { LiveBoard } from '@/api/types'
import { useEventStream, type EventStreamOptions } from '@/composables/useEventStream'
import { publicApi } from './api'

export function useLiveBoard(stageId: Ref<number>, options: EventStreamOptions = {}) {
  const board = shallowRef<LiveBoard | null>(null)
  const stream = useEventStream<LiveBoard>({
    ...options,
    staleAfter: options.staleAfter ?? 40_000,
    url: () => publicApi.liveUrl(stageId.value),
    event: 'board',
    receive: (next) => {
      board.value = next
    },
  })
  const { state, updatedAt, reconnects, start, stop, nudge } = stream
  return { board, state, updatedAt, reconnects, start, stop, nudge }
}

/** The board's contestants by practical score, highest first (those without one last), with shared places. */
export function liveRows(board: LiveBoard | null): (LiveBoard['contestants'][number] & { place: number | null })[] {
  if (!board) return []
  const key = (p: string | null) => (p === null ? -Infinity : Number(p))
  const sorted = [...board.contestants].sort(
    (a, b) => key(b.practical) - key(a.practical) || a.contestant.name.localeCompare(b.contestant.name),
  )
  let place = 0
  return sorted.map((c, i) => {
    if (c.practical === null) return { ...c, place: null }
    if (i === 0 || sorted[i - 1]!.practical !== c.practical) place = i + 1
    return { ...c, place }
  })
}
