package server

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"skillarena"
	"skillarena/database"
)

// handler is the shape of every endpoint: it returns an error instead of
// writing one, so none can forget to stop after a failure.
type handler func(c *gin.Context) error

// statusOf is the one table from error codes to HTTP status.
var statusOf = map[string]int{
	skillarena.EINVALID:        http.StatusUnprocessableEntity,
	skillarena.EUNAUTHORIZED:   http.StatusUnauthorized,
	skillarena.EFORBIDDEN:      http.StatusForbidden,
	skillarena.ENOTFOUND:       http.StatusNotFound,
	skillarena.ECONFLICT:       http.StatusConflict,
	skillarena.EDEADLINEPASSED: http.StatusConflict,
	skillarena.ESTALEWRITE:     http.StatusConflict,
	skillarena.ETOOLARGE:       http.StatusRequestEntityTooLarge,
	skillarena.ETOOMANY:        http.StatusTooManyRequests,
	skillarena.EINTERNAL:       http.StatusInternalServerError,
	skillarena.EUNAVAILABLE:    http.StatusServiceUnavailable,
}

// unavailableRetry is the Retry-After, in seconds, of a 503 while the
// database cannot be reached.
const unavailableRetry = 2

// errorBody is the API's error shape.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// wrap adapts a handler to Gin, rendering any error it returns.
func (s *Server) wrap(h handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.renderError(c, err)
		}
	}
}

// renderError writes err in the API's shape, in the caller's language.
func (s *Server) renderError(c *gin.Context, err error) {
	status, body, retryAfter := s.errorResponse(c.Request, err)
	if retryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(retryAfter))
	}
	c.AbortWithStatusJSON(status, body)
}

// errorResponse maps err to its status and body. Only internal errors are
// logged, and their text never reaches the client.
func (s *Server) errorResponse(r *http.Request, err error) (int, errorBody, int) {
	code := skillarena.ErrorCode(err)
	if code == skillarena.EINTERNAL && database.Unavailable(err) {
		// Not a fault of the request or the code: the client retries.
		s.log.WarnContext(r.Context(), "database unavailable", slog.String("error", err.Error()),
			slog.String("method", r.Method), slog.String("path", r.URL.Path))
		err = &skillarena.Error{Code: skillarena.EUNAVAILABLE, Message: "error.unavailable", RetryAfter: unavailableRetry}
		code = skillarena.EUNAVAILABLE
	}
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	lang := pickLang(r.Header.Get("Accept-Language"))
	body := errorBody{Error: errorDetail{Code: code}}
	var e *skillarena.Error
	retryAfter := 0
	if errors.As(err, &e) && code != skillarena.EINTERNAL {
		body.Error.Message = s.tr.T(lang, e.Message, e.Args)
		if len(e.Fields) > 0 {
			body.Error.Fields = map[string]string{}
			for f, m := range e.Fields {
				body.Error.Fields[f] = s.tr.T(lang, m, e.FieldArgs[f])
			}
		}
		retryAfter = e.RetryAfter
	} else {
		s.log.ErrorContext(r.Context(), "internal error", slog.String("error", err.Error()),
			slog.String("method", r.Method), slog.String("path", r.URL.Path))
		body.Error.Message = s.tr.T(lang, "error.internal", nil)
	}
	return status, body, retryAfter
}
