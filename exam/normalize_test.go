package exam

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"skillarena/content"
)

func TestNormalizeBlank(t *testing.T) {
	all := content.DefaultNormalization
	fold := content.Normalization{FoldWidth: true}
	lower := content.Normalization{IgnoreCase: true}
	trim := content.Normalization{TrimSpace: true}
	for _, tc := range []struct {
		name string
		in   string
		n    content.Normalization
		want string
	}{
		{"zero leaves everything", "  Ａｂ，　C ", content.Normalization{}, "  Ａｂ，　C "},
		{"zero leaves invalid UTF-8", "a\xffb", content.Normalization{}, "a\xffb"},
		{"fold letters and digits", "ＯＳＰＦ１２３", fold, "OSPF123"},
		{"fold ASCII punctuation", "（Ａ），：；！？～＂＇", fold, `(A),:;!?~"'`},
		{"fold ideographic space", "ａ　ｂ", fold, "a b"},
		{"fold keeps case", "Ａｂ", fold, "Ab"},
		{"fold keeps Chinese", "光纤，接入网", fold, "光纤,接入网"},
		{"fold full stop", "192。168。1。1", fold, "192.168.1.1"},
		{"fold half-width full stop", "1｡5", fold, "1.5"},
		{"fold curly quotes", "“ACL”‘x’", fold, `"ACL"'x'`},
		{"fold lenticular brackets", "【A】", fold, "[A]"},
		{"fold keeps enumeration comma", "A、B", fold, "A、B"},
		{"fold keeps title marks", "《论语》", fold, "《论语》"},
		{"fold keeps ellipsis and dash", "……——", fold, "……——"},
		{"fold only does not trim", " a ", fold, " a "},
		{"case ASCII", "OsPf", lower, "ospf"},
		{"case Unicode", "ÀÉΣ", lower, "àéσ"},
		{"case keeps width", "ＡＢ", lower, "ａｂ"},
		{"case does not trim", " A ", lower, " a "},
		{"trim ends", "  a b  ", trim, "a b"},
		{"trim collapses runs", "a \t\n b", trim, "a b"},
		{"trim ideographic and no-break spaces", "\u3000a\u00a0\u00a0b\u3000", trim, "a b"},
		{"trim only", "  ", trim, ""},
		{"trim keeps case", " A ", trim, "A"},
		{"all", "　ＩＰ　　Ｖ６。 ", all, "ip v6."},
		{"all Chinese mixed", " 光纤到户（ＦＴＴＨ） ", all, "光纤到户(ftth)"},
		{"invalid UTF-8 replaced", "a\xffb", trim, "a\uFFFDb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := NormalizeBlank(tc.in, tc.n)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, got, NormalizeBlank(got, tc.n), "idempotent")
		})
	}
}

func FuzzNormalizeBlank(f *testing.F) {
	for _, s := range []string{"", " ", "Ａ１，。", "　ＩＰ　　Ｖ６。 ", "İstanbul", "ǅ", "ﾊﾟ", "a\xffb", "\u212a", "ß", "“”‘’【】"} {
		for flags := range uint8(8) {
			f.Add(s, flags)
		}
	}
	f.Fuzz(func(t *testing.T, s string, flags uint8) {
		n := content.Normalization{FoldWidth: flags&1 != 0, IgnoreCase: flags&2 != 0, TrimSpace: flags&4 != 0}
		once := NormalizeBlank(s, n)
		twice := NormalizeBlank(once, n)
		if once != twice {
			t.Fatalf("not idempotent under %+v: %q → %q → %q", n, s, once, twice)
		}
		if n != (content.Normalization{}) && !utf8.ValidString(once) {
			t.Fatalf("invalid UTF-8 out of %q: %q", s, once)
		}
		if n == (content.Normalization{}) && once != s {
			t.Fatalf("zero normalisation changed %q to %q", s, once)
		}
	})
}
