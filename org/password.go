package org

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/crypto/argon2"

	"skillarena"
)

// Argon2Params are the argon2id cost settings.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultArgon2 follows OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane):
// about 25 ms a hash on the 2-core machine, so a burst of sign-ins at an exam's
// start stays cheap while an offline guess stays expensive.
var DefaultArgon2 = Argon2Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// Hasher hashes and checks passwords with argon2id in the PHC string format.
type Hasher struct {
	p     Argon2Params
	dummy string
}

// NewHasher returns a hasher with the given cost.
func NewHasher(p Argon2Params) *Hasher {
	h := &Hasher{p: p}
	h.dummy = h.Hash("dummy password for unknown users")
	return h
}

// Hash returns the PHC string of password with a fresh random salt.
func (h *Hasher) Hash(password string) string {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	key := argon2.IDKey([]byte(password), salt, h.p.Time, h.p.Memory, h.p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.p.Memory, h.p.Time, h.p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// Check reports whether password matches the PHC string encoded, using the
// parameters stored in it. A malformed hash never matches.
func (h *Hasher) Check(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	if p.Memory > 1<<21 || p.Time > 16 || p.Threads == 0 {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// CheckDummy spends the same time as Check on a real hash, for unknown users,
// so the answer's timing does not tell whether a username exists.
func (h *Hasher) CheckDummy(password string) {
	h.Check(h.dummy, password)
}

// ValidatePassword enforces the password rule: 8 to 128 characters with at
// least one letter and one digit. It returns a message id, or "" when fine.
func ValidatePassword(pw string) string {
	if len(pw) < 8 {
		return "password.too_short"
	}
	if len(pw) > 128 {
		return "password.too_long"
	}
	var letter, digit bool
	for _, r := range pw {
		switch {
		case unicode.IsLetter(r):
			letter = true
		case unicode.IsDigit(r):
			digit = true
		}
	}
	if !letter || !digit {
		return "password.needs_letter_and_digit"
	}
	return ""
}

func passwordError(field, pw string) error {
	if m := ValidatePassword(pw); m != "" {
		return skillarena.Invalid(map[string]string{field: m})
	}
	return nil
}

// GeneratePassword returns a random initial password that satisfies
// ValidatePassword and avoids look-alike characters.
func GeneratePassword() string {
	const letters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
	const digits = "23456789"
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	out := make([]byte, 10)
	for i, x := range b {
		if i%4 == 3 {
			out[i] = digits[int(x)%len(digits)]
		} else {
			out[i] = letters[int(x)%len(letters)]
		}
	}
	return string(out)
}
