package content_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"skillarena/content"
)

// formatTestBombSheet returns a worksheet part of mib MiB of identical
// question rows under a header, deflated, with its CRC and size. Each MiB is
// deflated once and repeated: a flushed deflate block ends on a byte boundary
// and refers only to its own bytes, so copies concatenate into one stream.
func formatTestBombSheet(t testing.TB, mib int) (deflated []byte, crc uint32, size uint64) {
	t.Helper()
	cell := func(v string) string { return `<c t="inlineStr"><is><t>` + v + `</t></is></c>` }
	head := []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row>` + cell("type") + cell("topic") + cell("stem") + cell("answer") + `</row>`)
	row := `<row>` + cell("判断") + cell("维护流程") + cell("炸弹") + cell("对") + `</row>`
	chunk := bytes.Repeat([]byte(row), (1<<20)/len(row))
	tail := []byte(`</sheetData></worksheet>`)
	segment := func(b []byte, final bool) []byte {
		var out bytes.Buffer
		w, err := flate.NewWriter(&out, flate.BestCompression)
		require.NoError(t, err)
		_, err = w.Write(b)
		require.NoError(t, err)
		if final {
			require.NoError(t, w.Close())
		} else {
			require.NoError(t, w.Flush())
		}
		return out.Bytes()
	}
	var out bytes.Buffer
	h := crc32.NewIEEE()
	out.Write(segment(head, false))
	h.Write(head)
	body := segment(chunk, false)
	for range mib {
		out.Write(body)
		h.Write(chunk)
	}
	out.Write(segment(tail, true))
	h.Write(tail)
	return out.Bytes(), h.Sum32(), uint64(len(head) + mib*len(chunk) + len(tail))
}

// formatTestWithSheet returns workbook with its first sheet replaced by a raw
// deflated part that declares the given unpacked size.
func formatTestWithSheet(t testing.TB, workbook, deflated []byte, crc uint32, declared uint64) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(workbook), int64(len(workbook)))
	require.NoError(t, err)
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			require.NoError(t, w.Copy(f))
			continue
		}
		fw, err := w.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(len(deflated)), UncompressedSize64: declared})
		require.NoError(t, err)
		_, err = fw.Write(deflated)
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	return buf.Bytes()
}

// formatTestMeasure runs parse and returns its errors with the time it took,
// the bytes it allocated in all and the highest the heap rose above where it
// started (sampled every few milliseconds).
func formatTestMeasure(parse func() []content.FileError) (errs []content.FileError, elapsed time.Duration, allocated, peak uint64) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	done := make(chan struct{})
	sampled := make(chan uint64)
	go func() {
		var high uint64
		var m runtime.MemStats
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			high = max(high, m.HeapAlloc)
			select {
			case <-done:
				sampled <- high
				return
			case <-tick.C:
			}
		}
	}()
	start := time.Now()
	errs = parse()
	elapsed = time.Since(start)
	close(done)
	high := <-sampled
	runtime.ReadMemStats(&after)
	return errs, elapsed, after.TotalAlloc - before.TotalAlloc, max(high, after.HeapAlloc) - before.HeapAlloc
}

func TestParseXLSX_ZipBombRefusedQuickly(t *testing.T) {
	base := formatTestWorkbook(t, [][]string{{"type"}})
	big, bigCRC, bigSize := formatTestBombSheet(t, 300)
	fits, fitsCRC, fitsSize := formatTestBombSheet(t, 40)
	for _, tc := range []struct {
		name    string
		file    []byte
		message string
	}{
		// Declares its 300 MB: refused from the archive's directory.
		{"300 MB sheet", formatTestWithSheet(t, base, big, bigCRC, bigSize), "format.corrupt_xlsx"},
		// Claims 4 KB but inflates to 300 MB: unpacking stops at 4 KB.
		{"300 MB sheet claiming 4 KB", formatTestWithSheet(t, base, big, bigCRC, 4096), "format.corrupt_xlsx"},
		// 40 MB is within the unzip limit: reading stops at the question limit.
		{"40 MB sheet of 400,000 rows", formatTestWithSheet(t, base, fits, fitsCRC, fitsSize), "format.too_many_questions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Less(t, len(tc.file), 2<<20, "a small file")
			errs, elapsed, allocated, peak := formatTestMeasure(func() []content.FileError {
				drafts, errs := content.ParseXLSX(bytes.NewReader(tc.file))
				assert.Nil(t, drafts)
				return errs
			})
			require.Len(t, errs, 1)
			assert.Equal(t, tc.message, errs[0].Message)
			t.Logf("%s: %d KB file refused in %v; peak heap +%d MB, allocated %d MB in all", tc.name, len(tc.file)>>10, elapsed, peak>>20, allocated>>20)
			assert.Less(t, elapsed, 10*time.Second)
			assert.Less(t, peak, uint64(150<<20), "memory stays bounded")
		})
	}
}

func TestParseXLSX_MillionRowsRefusedByTheQuestionLimit(t *testing.T) {
	if testing.Short() || formatTestRace {
		t.Skip("builds a million-row workbook: not with -short or -race")
	}
	start := time.Now()
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	require.NoError(t, err)
	require.NoError(t, sw.SetRow("A1", []any{"题型", "主题", "题干", "答案"}))
	row := []any{"判断"} // one cell makes a row that counts
	for r := 2; r <= 1_000_001; r++ {
		require.NoError(t, sw.SetRow("A"+strconv.Itoa(r), row))
	}
	require.NoError(t, sw.Flush())
	var buf bytes.Buffer
	_, err = f.WriteTo(&buf)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	t.Logf("built a 1,000,001-row workbook of %d KB in %v", buf.Len()>>10, time.Since(start))
	require.Less(t, buf.Len(), content.MaxImportBytes)

	errs, elapsed, allocated, peak := formatTestMeasure(func() []content.FileError {
		drafts, errs := content.ParseXLSX(bytes.NewReader(buf.Bytes()))
		assert.Nil(t, drafts)
		return errs
	})
	assert.Equal(t, []content.FileError{{Message: "format.too_many_questions", Args: map[string]any{"Max": content.MaxImportQuestions}}}, errs)
	t.Logf("refused in %v; peak heap +%d MB, allocated %d MB in all", elapsed, peak>>20, allocated>>20)
	assert.Less(t, elapsed, 10*time.Second)
	assert.Less(t, peak, uint64(150<<20), "memory stays bounded")
}

func TestParseXLSX_ExactlyTheQuestionLimitIsFine(t *testing.T) {
	if testing.Short() || formatTestRace {
		t.Skip("builds a 50,000-question workbook: not with -short or -race")
	}
	drafts := make([]content.Draft, content.MaxImportQuestions)
	for i := range drafts {
		drafts[i] = content.Draft{Type: content.TrueFalse, TopicPath: []string{"维护流程"}, Stem: "题 " + strconv.Itoa(i), Key: content.Key{True: formatTestBool(i%2 == 0)}}
	}
	var buf bytes.Buffer
	require.NoError(t, content.WriteXLSX(&buf, drafts))
	var got []content.Draft
	errs, elapsed, allocated, peak := formatTestMeasure(func() []content.FileError {
		var errs []content.FileError
		got, errs = content.ParseXLSX(bytes.NewReader(buf.Bytes()))
		return errs
	})
	require.Empty(t, errs)
	assert.Len(t, got, content.MaxImportQuestions)
	t.Logf("%d KB workbook of %d questions read in %v; peak heap +%d MB, allocated %d MB in all", buf.Len()>>10, len(got), elapsed, peak>>20, allocated>>20)
}

// formatTestBank is n questions of every type, as an author's bank would be.
func formatTestBank(n int) []content.Draft {
	base := append(formatTestDrafts(), formatTestOnlyMoodle()...)
	out := make([]content.Draft, n)
	for i := range out {
		d := base[i%len(base)]
		d.Stem = fmt.Sprintf("%s（第 %d 题）", d.Stem, i+1)
		if d.Type == content.FillBlank {
			d.Stem = fmt.Sprintf("第 %d 题：%s", i+1, base[i%len(base)].Stem)
		}
		out[i] = d
	}
	return out
}

func BenchmarkParseXLSX10k(b *testing.B) {
	var buf bytes.Buffer
	if err := content.WriteXLSX(&buf, formatTestBank(10_000)); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.Logf("10,000 questions: %d KB workbook", len(data)>>10)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		drafts, errs := content.ParseXLSX(bytes.NewReader(data))
		if len(errs) > 0 || len(drafts) != 10_000 {
			b.Fatalf("%d drafts, errors %v", len(drafts), errs[:min(len(errs), 3)])
		}
	}
}
