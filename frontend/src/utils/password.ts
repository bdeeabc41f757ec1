// The password rule the server enforces, checked in the browser first for quick feedback.

/** The least length of a new password. */
export const MIN_PASSWORD_LENGTH = 8

/** Why a new password is not acceptable, as an i18n key, or null when it is fine. */
export function passwordProblem(password: string): 'password.tooShort' | 'password.needLetterAndDigit' | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'password.tooShort'
  if (!/\p{L}/u.test(password) || !/\p{Nd}/u.test(password)) return 'password.needLetterAndDigit'
  return null
}

/** Why the repeated password is not acceptable, as an i18n key, or null when it matches. */
export function repeatProblem(password: string, repeat: string): 'password.mismatch' | null {
  return password === repeat ? null : 'password.mismatch'
}
