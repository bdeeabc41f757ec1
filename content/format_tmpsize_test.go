package content_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"testing"

	"skillarena/content"
)

func TestTmpSize(t *testing.T) {
	var buf bytes.Buffer
	content.WriteXLSX(&buf, formatTestBank(10000))
	zr, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	for _, f := range zr.File {
		fmt.Println(f.Name, f.UncompressedSize64)
	}
	errs, el, alloc, peak := formatTestMeasure(func() []content.FileError { _, e := content.ParseXLSX(bytes.NewReader(buf.Bytes())); return e })
	fmt.Println(errs, el, alloc>>20, peak>>20)
}
