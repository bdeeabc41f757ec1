package content_test

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena/content"
	"skillarena/database/dbtest"
)

// tenThousandQuestions makes an xlsx of 10,000 questions of every type, in the
// import template.
func tenThousandQuestions(tb testing.TB) []byte {
	tr := true
	var ds []content.Draft
	for i := 0; i < 10000; i++ {
		d := content.Draft{TopicPath: []string{"维护流程"}, Difficulty: i%5 + 1, Explanation: "解析：按规范处理。",
			Tags: []string{"基准", fmt.Sprintf("组%d", i%20)}}
		switch i % 6 {
		case 0:
			d.Type, d.Stem = content.SingleChoice, fmt.Sprintf("第%d题：重要客户故障应在多长时间内响应？", i)
			d.Options = []content.Option{{Key: "A", Text: "15分钟"}, {Key: "B", Text: "1小时"}, {Key: "C", Text: "4小时"}, {Key: "D", Text: "24小时"}}
			d.Key.Choices = []string{"A"}
		case 1:
			d.Type, d.Stem = content.MultipleChoice, fmt.Sprintf("第%d题：汛期巡检包括哪些内容？", i)
			d.Options = []content.Option{{Key: "A", Text: "排水"}, {Key: "B", Text: "门窗密封"}, {Key: "C", Text: "设备离地高度"}, {Key: "D", Text: "食堂卫生"}}
			d.Key.Choices = []string{"A", "B", "C"}
		case 2:
			d.Type, d.Stem, d.Key.True = content.TrueFalse, fmt.Sprintf("第%d题：回单前应请客户确认。", i), &tr
		case 3:
			d.Type, d.Stem = content.FillBlank, fmt.Sprintf("第%d题：故障处理遵循先___后修复的原则。", i)
			d.Key.Blanks = []content.Blank{{Accepted: []string{"抢通"}}}
			d.Normalization = content.DefaultNormalization
		case 4:
			d.Type, d.Stem, d.ReferenceAnswer, d.Rubric = content.ShortAnswer, fmt.Sprintf("第%d题：简述首问负责制。", i), "首个受理人负责到底。", "1. 概念(5分)"
		case 5:
			d.Type, d.Stem, d.ReferenceAnswer, d.Rubric = content.Essay, fmt.Sprintf("第%d题：设计双路由方案。", i), "两条物理路由。", "1. 路由(10分)"
		}
		ds = append(ds, d)
	}
	var buf bytes.Buffer
	require.NoError(tb, content.WriteXLSX(&buf, ds))
	return buf.Bytes()
}

// BenchmarkImportXLSX10k imports a 10,000-question workbook into a SQLite
// bank, end to end: parse, validate, sanitise, deduplicate, store. It reports
// the peak heap seen during the import and the process's peak RSS
// (docs/PERFORMANCE.md; target ≤ 3 s and ≤ 200 MB).
func BenchmarkImportXLSX10k(b *testing.B) {
	benchmarkImport(b, func() *gorm.DB { return dbtest.SQLite(b, nil) })
}

// BenchmarkImportXLSX10kMySQL is the same on MariaDB/MySQL
// (SKILLARENA_TEST_MYSQL_DSN).
func BenchmarkImportXLSX10kMySQL(b *testing.B) {
	benchmarkImport(b, func() *gorm.DB { return dbtest.MySQL(b, nil) })
}

func benchmarkImport(b *testing.B, open func() *gorm.DB) {
	data := tenThousandQuestions(b)
	b.ReportMetric(float64(len(data))/1e6, "file_MB")
	for b.Loop() {
		b.StopTimer()
		db := open()
		f := newFixture(b, db, nil)
		runtime.GC()
		// Reset the kernel's peak-RSS mark so VmHWM below covers the import
		// alone, not the making of the file.
		os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
		var peak atomic.Uint64
		done := make(chan struct{})
		go func() {
			var ms runtime.MemStats
			for {
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
				select {
				case <-done:
					return
				case <-time.After(50 * time.Millisecond):
				}
			}
		}()
		b.StartTimer()
		res, err := f.svc.Import(f.as(f.author1), scopeOf(f.prov), content.ImportRequest{Format: content.FormatXLSX, BankID: f.provBank.ID, Data: data})
		b.StopTimer()
		close(done)
		require.NoError(b, err)
		require.Empty(b, res.Errors)
		require.Equal(b, 10000, res.Imported)
		b.ReportMetric(float64(peak.Load())/1e6, "peak_heap_MB")
		b.ReportMetric(peakRSSMB(), "peak_rss_MB")
		b.StartTimer()
	}
}

// peakRSSMB reads the process's peak resident set (VmHWM) in MB, or -1 where
// /proc is not available.
func peakRSSMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return -1
}
