import { rm } from 'node:fs/promises'

/** Removes the run's demo database (and SQLite's side files). */
export default async function teardown(): Promise<void> {
  const db = process.env.SKILLARENA_E2E_DB
  if (!db) return
  await Promise.all(['', '-wal', '-shm', '-journal'].map((suffix) => rm(db + suffix, { force: true })))
}
