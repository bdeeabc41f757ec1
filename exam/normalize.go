package exam

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"

	"skillarena/content"
)

// NormalizeBlank prepares a fill-in answer (a contestant's, or an accepted
// one) for comparison under n. The steps run in this order, each only when
// its flag is set:
//
//  1. FoldWidth: full-width forms become their half-width equivalents
//     (golang.org/x/text/width.Fold: "Ａ１，：（）" → "A1,:()", the
//     ideographic space U+3000 → " ", "～" → "~"), then the Chinese
//     punctuation a Chinese input method types for an ASCII key, where the
//     two mean the same, becomes that ASCII character: "。" (and the
//     half-width "｡") → ".", "“" "”" → `"`, "‘" "’" → "'", "【" "】" → "[" "]".
//     So "192。168。1。1" typed in Chinese mode matches "192.168.1.1".
//     Kept as they are, because the ASCII look-alike means something else:
//     "、" (enumeration comma, not ","), "《》" (title marks, not "<>"),
//     "……" and "——".
//  2. IgnoreCase: Unicode lower case (strings.ToLower).
//  3. TrimSpace: leading and trailing white space is removed and every
//     inner run of white space (unicode.IsSpace, which includes U+3000 and
//     U+00A0) becomes one " ".
//
// With the zero Normalization s is returned unchanged. Otherwise invalid
// UTF-8 is first replaced by U+FFFD. Normalising twice gives the same as
// normalising once.
func NormalizeBlank(s string, n content.Normalization) string {
	if n == (content.Normalization{}) {
		return s
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if n.FoldWidth {
		s = blankPunctuation.Replace(width.Fold.String(s))
	}
	if n.IgnoreCase {
		s = strings.ToLower(s)
	}
	if n.TrimSpace {
		s = strings.Join(strings.Fields(s), " ")
	}
	return s
}

// blankPunctuation maps the Chinese punctuation width.Fold leaves alone to
// its ASCII equivalent where the meaning is the same (see NormalizeBlank).
// width.Fold has already turned "｡" (U+FF61) into "。".
var blankPunctuation = strings.NewReplacer(
	"。", ".",
	"“", `"`, "”", `"`,
	"‘", "'", "’", "'",
	"【", "[", "】", "]",
)
