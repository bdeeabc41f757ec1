import { computed } from 'vue'
import type { Role } from '@/api/types'
import { useSessionStore } from '@/stores/session'

/** Whether the signed-in user holds a role in any unit, kept up to date. */
export function useHasRole(role: Role) {
  const session = useSessionStore()
  return computed(() => session.roles.has(role))
}
