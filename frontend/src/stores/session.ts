// The signed-in user, loaded once at start and after sign-in.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ApiError, authApi, meApi, type Me } from '@/api'
import { navFor, rolesOf } from '@/nav'

export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null)
  /** Whether the session probe has run, so that route guards wait for it only once. */
  const checked = ref(false)

  const signedIn = computed(() => me.value !== null)
  const roles = computed(() => rolesOf(me.value?.grants ?? []))
  const nav = computed(() => navFor(me.value?.grants ?? []))

  /** Asks the server who is signed in; no session is not an error here. */
  async function probe(): Promise<void> {
    try {
      me.value = await meApi.get(true)
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error
      me.value = null
    } finally {
      checked.value = true
    }
  }

  async function login(username: string, password: string): Promise<Me> {
    const { user } = await authApi.login(username, password)
    me.value = user
    checked.value = true
    return user
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout()
    } finally {
      clear()
    }
  }

  /** Forgets the user, e.g. when the server says the session is gone. */
  function clear(): void {
    me.value = null
    checked.value = true
  }

  return { me, checked, signedIn, roles, nav, probe, login, logout, clear }
})
