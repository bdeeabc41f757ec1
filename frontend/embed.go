// Package frontend holds the built browser app so that the server binary can serve it.
package frontend

import (
	"embed"
	"io/fs"
)

// Files is the frontend's dist folder: the committed placeholder page
// (dist/index.html) and, once Vite has built it, the app in dist/app.
//
//go:embed all:dist
var Files embed.FS

// Dist returns the built browser app with index.html at the top, or the
// placeholder page that says how to build it when the app has not been built.
func Dist() fs.FS {
	dir := "dist"
	if _, err := fs.Stat(Files, "dist/app/index.html"); err == nil {
		dir = "dist/app"
	}
	sub, err := fs.Sub(Files, dir)
	if err != nil {
		// fs.Sub fails only for an invalid path, and both are valid.
		panic(err)
	}
	return sub
}
