package content

import (
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// sanitizePolicy allows the formatting a question or study material needs and
// nothing else: paragraphs and line breaks, emphasis, sub- and superscript,
// lists, quotations, code, small headings, tables, images uploaded to
// SkillArena and links to the web or to e-mail addresses.
var sanitizePolicy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "ul", "ol", "li",
		"blockquote", "pre", "code", "h3", "h4", "h5", "table", "thead", "tbody", "tr", "th", "td", "span")
	p.AllowAttrs("colspan", "rowspan").Matching(regexp.MustCompile(`^[1-9][0-9]{0,2}$`)).OnElements("th", "td")
	p.AllowAttrs("src").Matching(sanitizeAssetSrc).OnElements("img")
	p.AllowAttrs("alt").Matching(regexp.MustCompile(`^[^<>"]*$`)).OnElements("img")
	p.AllowAttrs("width", "height").Matching(regexp.MustCompile(`^[1-9][0-9]{0,3}$`)).OnElements("img")
	p.AllowAttrs("href").Matching(regexp.MustCompile(`^(?i:https?:|mailto:)\S*$`)).OnElements("a")
	p.RequireParseableURLs(true)
	p.AllowURLSchemes("http", "https", "mailto")
	// Asset images are addressed by path on SkillArena's own host.
	p.AllowRelativeURLs(true)
	return p
}()

// sanitizeAssetSrc is the only image source allowed: an uploaded asset.
var sanitizeAssetSrc = regexp.MustCompile(`^/api/v1/assets/[0-9a-f]{64}$`)

// sanitizeDangerous are the elements whose presence means the input tried to
// run or load something.
var sanitizeDangerous = map[string]bool{
	"script": true, "style": true, "iframe": true, "frame": true, "frameset": true, "object": true,
	"embed": true, "applet": true, "base": true, "link": true, "meta": true,
}

// sanitizeURLAttrs are the attributes that hold a URL a browser may follow.
var sanitizeURLAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "xlink:href": true, "background": true,
	"poster": true, "data": true, "codebase": true, "cite": true, "srcset": true, "dynsrc": true, "lowsrc": true,
}

// Sanitize cleans HTML written by an author or read from an import file,
// keeping only the formatting sanitizePolicy allows: links get rel="noopener",
// images must come from /api/v1/assets/<sha256>. removed is true when something
// dangerous was dropped (script, style, iframe, object or embed elements, on…
// event attributes, javascript:, data: or vbscript: URLs, images from
// elsewhere), so that the caller can warn. Plain text comes through unchanged
// but for escaping < and & (and line endings made \n); sanitising twice
// changes nothing.
func Sanitize(s string) (clean string, removed bool) {
	removed = sanitizeFindsDanger(s)
	return sanitizeTidy(sanitizePolicy.Sanitize(s)), removed
}

// sanitizeFindsDanger scans the input as a browser would tokenise it.
func sanitizeFindsDanger(s string) bool {
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return false
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			t := z.Token()
			if sanitizeDangerous[t.Data] {
				return true
			}
			for _, a := range t.Attr {
				if strings.HasPrefix(a.Key, "on") {
					return true
				}
				if sanitizeURLAttrs[a.Key] && sanitizeBadScheme(a.Val) {
					return true
				}
				if t.Data == "img" && a.Key == "src" && !sanitizeAssetSrc.MatchString(a.Val) {
					return true
				}
			}
		}
	}
}

// sanitizeBadScheme reports a javascript:, vbscript: or data: URL, which
// browsers recognise even with spaces and control characters inside.
func sanitizeBadScheme(u string) bool {
	u = strings.ToLower(strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, u))
	return strings.HasPrefix(u, "javascript:") || strings.HasPrefix(u, "vbscript:") || strings.HasPrefix(u, "data:")
}

// sanitizeScheme finds a script scheme written out in text.
var sanitizeScheme = regexp.MustCompile(`(?i)(javascript|vbscript):`)

// sanitizeTidy finishes bluemonday's output, in which every < opens a tag and
// every > closes one: text is escaped only where HTML needs it (&lt; and
// &amp;, not quotes or >), a script scheme written as text has its colon
// written as &#58; so that no "javascript:" survives anywhere, links get
// rel="noopener", and images left without a source are dropped.
func sanitizeTidy(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for s != "" {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			lt = len(s)
		}
		text := s[:lt]
		text = strings.NewReplacer("&#34;", `"`, "&#39;", "'", "&gt;", ">").Replace(text)
		text = sanitizeScheme.ReplaceAllString(text, "$1&#58;")
		b.WriteString(text)
		s = s[lt:]
		if s == "" {
			break
		}
		gt := strings.IndexByte(s, '>')
		if gt < 0 {
			// Not bluemonday's output; never expected.
			b.WriteString(strings.ReplaceAll(s, "<", "&lt;"))
			break
		}
		tag := sanitizeScheme.ReplaceAllString(s[:gt+1], "$1&#58;")
		s = s[gt+1:]
		switch {
		case strings.HasPrefix(tag, "<a "):
			// An <a/> written self-closed opens a link all the same in a
			// browser; written as an ordinary start tag it stays one.
			tag = strings.TrimRight(strings.TrimSuffix(strings.TrimSuffix(tag, ">"), "/"), " ") + ` rel="noopener">`
		case strings.HasPrefix(tag, "<img") && !strings.Contains(tag, ` src="`):
			continue
		}
		b.WriteString(tag)
	}
	return b.String()
}
