// Package skillarena is the shared kernel of SkillArena: the error type and its
// codes, the acting user carried in a context, and the clock. It imports only the
// standard library so every other package may depend on it.
package skillarena

import (
	"errors"
	"fmt"
)

// Error codes, the same strings the API puts in {"error":{"code":...}}.
const (
	EINVALID        = "invalid"
	EUNAUTHORIZED   = "unauthorized"
	EFORBIDDEN      = "forbidden"
	ENOTFOUND       = "not_found"
	ECONFLICT       = "conflict"
	EDEADLINEPASSED = "deadline_passed"
	ESTALEWRITE     = "stale_write"
	ETOOLARGE       = "payload_too_large"
	ETOOMANY        = "too_many_requests"
	EINTERNAL       = "internal"
	// EUNAVAILABLE: the database cannot be reached right now; retry.
	EUNAVAILABLE = "unavailable"
)

// Error is an application error a user may see. Message is a message id (see
// server/i18n) or plain text; Args fill its template; Fields names the inputs
// that are wrong, each with its own message id.
type Error struct {
	Code    string
	Message string
	Args    map[string]any
	Fields  map[string]string
	// FieldArgs fill the templates of the Fields messages, per field.
	FieldArgs map[string]map[string]any
	// RetryAfter is set with ETOOMANY: seconds until the caller may try again.
	RetryAfter int
}

// Error implements the error interface.
func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("skillarena error: code=%s message=%s fields=%v", e.Code, e.Message, e.Fields)
	}
	return fmt.Sprintf("skillarena error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// NewError returns an *Error with a message id and template arguments.
func NewError(code, messageID string, args map[string]any) *Error {
	return &Error{Code: code, Message: messageID, Args: args}
}

// Invalid returns an EINVALID error naming the fields that are wrong; each
// value is a message id.
func Invalid(fields map[string]string) *Error {
	return &Error{Code: EINVALID, Message: "error.invalid_fields", Fields: fields}
}

// ErrorCode returns the code of an application error, or EINTERNAL for any
// other error (and "" for nil).
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of an application error, or a generic
// message for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "error.internal"
}

// NotFound is the answer for a missing resource, and for one outside the
// caller's scope, so that its existence does not leak. what names it
// ("user", "question") for the message id "error.not_found.<what>".
func NotFound(what string) *Error {
	return NewError(ENOTFOUND, "error.not_found."+what, nil)
}
