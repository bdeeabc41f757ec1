package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"
	"github.com/go-playground/validator/v10"

	"skillarena"
	"skillarena/org"
)

// bindJSON decodes the request body into v strictly: unknown fields, trailing
// data, wrong types and oversize bodies are refused with a clear error; then
// the struct's binding tags are checked.
func bindJSON(c *gin.Context, v any) error {
	if c.Request.Body == nil {
		return skillarena.NewError(skillarena.EINVALID, "error.malformed_json", nil)
	}
	dec := json.NewDecoder(c.Request.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return skillarena.NewError(skillarena.EINVALID, "error.malformed_json", nil)
	}
	if err := binding.Validator.ValidateStruct(v); err != nil {
		var verrs validator.ValidationErrors
		if errors.As(err, &verrs) {
			fields := map[string]string{}
			for _, fe := range verrs {
				fields[jsonFieldName(fe)] = "field." + fe.Tag()
			}
			return skillarena.Invalid(fields)
		}
		return skillarena.NewError(skillarena.EINVALID, "error.malformed_json", nil)
	}
	return nil
}

// bindFor resolves what the request's path names with find, then reads the
// body into req as bindJSON does: how a handler that acts on one exam, stage
// or the like with a body starts.
func bindFor[R any](c *gin.Context, find func(*gin.Context) (R, error), req any) (R, error) {
	r, err := find(c)
	if err != nil {
		return r, err
	}
	return r, bindJSON(c, req)
}

func jsonError(err error) error {
	var tooLarge *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooLarge):
		return skillarena.NewError(skillarena.ETOOLARGE, "error.body_too_large", map[string]any{"Limit": tooLarge.Limit})
	case errors.As(err, &typeErr):
		return skillarena.Invalid(map[string]string{typeErr.Field: "field.wrong_type"})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &skillarena.Error{Code: skillarena.EINVALID, Message: "error.unknown_field", Args: map[string]any{"Field": name},
			Fields: map[string]string{name: "field.unknown"}}
	}
	return skillarena.NewError(skillarena.EINVALID, "error.malformed_json", nil)
}

// jsonFieldName turns a validator field (the Go name) into the JSON name.
func jsonFieldName(fe validator.FieldError) string {
	var b strings.Builder
	for i, r := range fe.Field() {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return strings.ReplaceAll(b.String(), "_i_d", "_id")
}

// page reads ?page=&page_size=.
func page(c *gin.Context) (org.Page, error) {
	var p org.Page
	var err error
	if v := c.Query("page"); v != "" {
		if p.Number, err = strconv.Atoi(v); err != nil || p.Number < 1 {
			return p, skillarena.Invalid(map[string]string{"page": "field.positive_integer"})
		}
	}
	if v := c.Query("page_size"); v != "" {
		if p.Size, err = strconv.Atoi(v); err != nil || p.Size < 1 || p.Size > org.MaxPageSize {
			return p, skillarena.Invalid(map[string]string{"page_size": "field.page_size"})
		}
	}
	return p, nil
}

// queryID reads an optional integer query parameter.
func queryID(c *gin.Context, name string) (int64, error) {
	v := c.Query(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, skillarena.Invalid(map[string]string{name: "field.positive_integer"})
	}
	return id, nil
}

// queryBool reads an optional boolean query parameter.
func queryBool(c *gin.Context, name string) (*bool, error) {
	v := c.Query(name)
	if v == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return nil, skillarena.Invalid(map[string]string{name: "field.boolean"})
	}
	return &b, nil
}

// list is the API's paged list shape.
type list[T any] struct {
	Items []T   `json:"items"`
	Total int64 `json:"total"`
}

func newList[T any](items []T, total int64) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, Total: total}
}
