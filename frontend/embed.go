// Package frontend holds the built browser app so that the server binary can serve it.
package frontend

import (
	"embed"
	"io/fs"
)

// Files is the frontend's dist folder as built by Vite, or the committed placeholder page before the first build.
//
//go:embed all:dist
var Files embed.FS

// Dist returns the built browser app rooted at its dist folder, so that index.html is at the top.
func Dist() fs.FS {
	sub, err := fs.Sub(Files, "dist")
	if err != nil {
		// fs.Sub fails only for an invalid path, and "dist" is a valid one.
		panic(err)
	}
	return sub
}
