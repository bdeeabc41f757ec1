package server

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"skillarena"
)

//go:embed openapi.yaml
var openapiYAML []byte

// OpenAPI loads and validates the embedded OpenAPI document.
func OpenAPI() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(openapiYAML)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	return doc, nil
}

var openapiJSON = sync.OnceValues(func() ([]byte, error) {
	doc, err := OpenAPI()
	if err != nil {
		return nil, err
	}
	return json.Marshal(doc)
})

func (s *Server) healthz(c *gin.Context) error {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
	return nil
}

func (s *Server) readyz(c *gin.Context) error {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if s.ready != nil {
		if err := s.ready(ctx); err != nil {
			s.log.WarnContext(ctx, "not ready", "error", err.Error())
			c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable"})
			return nil
		}
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
	return nil
}

func (s *Server) metricsHandler(c *gin.Context) error {
	promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}).ServeHTTP(c.Writer, c.Request)
	return nil
}

func (s *Server) openapi(c *gin.Context) error {
	b, err := openapiJSON()
	if err != nil {
		return err
	}
	c.Data(http.StatusOK, "application/json", b)
	return nil
}

// notFoundOrApp answers unknown API paths with the JSON 404 and every other
// GET with the browser app: the file if it exists, else index.html so the
// app's router takes the path.
func (s *Server) notFoundOrApp(c *gin.Context) error {
	p := c.Request.URL.Path
	if strings.HasPrefix(p, "/api/") || (c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) || s.frontend == nil {
		return skillarena.NewError(skillarena.ENOTFOUND, "error.not_found", nil)
	}
	name := strings.TrimPrefix(path.Clean(p), "/")
	if name != "" {
		if st, err := fs.Stat(s.frontend, name); err == nil && !st.IsDir() {
			if strings.HasPrefix(name, "assets/") {
				// Vite puts a content hash in every asset's name.
				c.Header("Cache-Control", "public, max-age=31536000, immutable")
			} else {
				// sw.js and the like keep their names: always asked again.
				c.Header("Cache-Control", "no-cache")
			}
			c.FileFromFS(name, http.FS(s.frontend))
			return nil
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if path.Ext(name) != "" {
			return skillarena.NewError(skillarena.ENOTFOUND, "error.not_found", nil)
		}
	}
	index, err := fs.ReadFile(s.frontend, "index.html")
	if err != nil {
		return skillarena.NewError(skillarena.ENOTFOUND, "error.not_found", nil)
	}
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "text/html; charset=utf-8", index)
	return nil
}
