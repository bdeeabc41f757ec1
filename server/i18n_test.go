package server

import (
	"fmt"
	"os"
	"sort"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	missingMu sync.Mutex
	missing   = map[string]bool{}
)

func recordMissing(lang, id string) {
	missingMu.Lock()
	defer missingMu.Unlock()
	missing[lang+" "+id] = true
}

// TestMain fails the package when any test made the server render a message
// id that has no text: every message a user can see is translated.
func TestMain(m *testing.M) {
	code := m.Run()
	if len(missing) > 0 {
		var ids []string
		for id := range missing {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		fmt.Fprintf(os.Stderr, "FAIL: messages without a translation (lang id):\n")
		for _, id := range ids {
			fmt.Fprintf(os.Stderr, "  %s\n", id)
		}
		code = 1
	}
	os.Exit(code)
}

// Both languages have exactly the same messages.
func TestMessages_EveryIDInBothLanguages(t *testing.T) {
	tr, err := newTranslator()
	require.NoError(t, err)
	zh, en := tr.ids["zh-CN"], tr.ids["en"]
	require.NotEmpty(t, zh)
	for id := range zh {
		assert.True(t, en[id], "%s has Chinese text but no English", id)
	}
	for id := range en {
		assert.True(t, zh[id], "%s has English text but no Chinese", id)
	}
}

func TestPickLang(t *testing.T) {
	for in, want := range map[string]string{"": "zh-CN", "en": "en", "en-GB,en;q=0.9": "en", "zh-CN,zh;q=0.9,en;q=0.8": "zh-CN", "fr": "zh-CN", "zh-TW": "zh-CN"} {
		assert.Equal(t, want, pickLang(in), in)
	}
}
