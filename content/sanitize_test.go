package content_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/net/html"

	"skillarena/content"
)

func TestSanitize_KeepsQuestionFormatting(t *testing.T) {
	for _, s := range []string{
		"<p>重要客户专线<strong>全阻</strong>故障，<b>4</b> 小时内修复。</p>",
		"<p><em>先连</em><i>后断</i>，<u>软</u>切换；<s>硬切换</s>；H<sub>2</sub>O；10<sup>3</sup></p><br>",
		"<ul><li>主用</li><li>备用</li></ul><ol><li>受理</li><li>定位</li></ol>",
		"<blockquote>引用</blockquote><pre><code>display interface brief</code></pre>",
		"<h3>一</h3><h4>二</h4><h5>三</h5><span>文字</span>",
		`<table><thead><tr><th colspan="2">路由</th></tr></thead><tbody><tr><td rowspan="2">主</td><td>备</td></tr></tbody></table>`,
		`<img src="/api/v1/assets/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" alt="拓扑图" width="640" height="480">`,
	} {
		t.Run(s, func(t *testing.T) {
			clean, removed := content.Sanitize(s)
			assert.Equal(t, s, clean)
			assert.False(t, removed)
		})
	}
}

func TestSanitize_LinksGetNoopener(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`<a href="https://example.com/规范">规范</a>`, `<a href="https://example.com/%E8%A7%84%E8%8C%83" rel="noopener">规范</a>`},
		{`<a href="http://example.com" rel="opener" target="_blank">x</a>`, `<a href="http://example.com" rel="noopener">x</a>`},
		{`<a href="mailto:noc@example.com">NOC</a>`, `<a href="mailto:noc@example.com" rel="noopener">NOC</a>`},
		{`<a href="/relative">相对</a>`, `相对`},
		{`<a href="ftp://example.com">ftp</a>`, `ftp`},
	} {
		t.Run(tc.in, func(t *testing.T) {
			clean, removed := content.Sanitize(tc.in)
			assert.Equal(t, tc.want, clean)
			assert.False(t, removed, "not dangerous, only not allowed")
		})
	}
}

func TestSanitize_RemovesDangerAndSaysSo(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`<p>题干<script>alert(1)</script></p>`, `<p>题干</p>`},
		{`<style>p{color:red}</style><p>x</p>`, `<p>x</p>`},
		{`<iframe src="https://evil.example"></iframe>后`, `后`},
		{`<object data="x.swf"></object><embed src="x.swf">后`, `后`},
		{`<p onclick="steal()">点</p>`, `<p>点</p>`},
		{`<img src="x" onerror="alert(1)">`, ``},
		{`<a href="javascript:alert(1)">链接</a>`, `链接`},
		{`<a href=" JaVa&#x09;script:alert(1)">链接</a>`, `链接`},
		{`<a href="vbscript:msgbox">链接</a>`, `链接`},
		{`<a href="data:text/html;base64,PHNjcmlwdD4=">链接</a>`, `链接`},
		{`<img src="data:image/png;base64,iVBOR" alt="x">`, ``},
		{`<img src="https://evil.example/track.gif">`, ``},
		{`<img src="/api/v1/assets/12/../../admin">`, ``},
		{`<svg><script>alert(1)</script></svg>文字`, `文字`},
	} {
		t.Run(tc.in, func(t *testing.T) {
			clean, removed := content.Sanitize(tc.in)
			assert.Equal(t, tc.want, clean)
			assert.True(t, removed)
		})
	}
}

func TestSanitize_DropsOtherMarkupQuietly(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`<div class="x" style="color:red"><font color="red">字</font></div>`, `字`},
		{`<p style="color:red" id="a">段</p>`, `<p>段</p>`},
		{`<h1>大标题</h1>`, `大标题`},
		{`<td colspan="9999">x</td>`, `<td>x</td>`},
		{`<!-- 注释 --><p>x</p>`, `<p>x</p>`},
	} {
		t.Run(tc.in, func(t *testing.T) {
			clean, removed := content.Sanitize(tc.in)
			assert.Equal(t, tc.want, clean)
			assert.False(t, removed)
		})
	}
}

func TestSanitize_PlainTextUnchangedButEscaped(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"故障历时 > 4 小时，\"重大\"故障，'一级'告警", "故障历时 > 4 小时，\"重大\"故障，'一级'告警"},
		{"a < b & c", "a &lt; b &amp; c"},
		{"第一行\n第二行\t缩进", "第一行\n第二行\t缩进"},
		{"x<5 且 AT&T", "x&lt;5 且 AT&amp;T"},
		{"学习 javascript: 不是链接", "学习 javascript&#58; 不是链接"},
		{"", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			clean, removed := content.Sanitize(tc.in)
			assert.Equal(t, tc.want, clean)
			assert.False(t, removed)
		})
	}
}

var sanitizeTestSeeds = []string{
	"<p>重要客户专线<strong>全阻</strong></p>", `<a href="https://x.example/?q=javascript:1" title="t">x</a>`,
	`<img src="/api/v1/assets/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" alt="javascript:x" width="10">`, `<p onclick=x>a</p><script>b</script>`,
	`<table><tr><td colspan="2">x</td></tr></table>`, "a < b & c \"q\" 'r' > s", `<a href="java&#x0A;script:x">y</a>`,
	`<scr<script>ipt>alert(1)</script>`, `<p/onload=alert(1)>`, `<img src=x:alert(alt) onerror=eval(src) alt=0>`,
	"<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>", `<a href="https://例子.测试/路径">中文域名</a>`,
	`<a href="https://例孫.测试/路径"ps:/>中文域名</a>`, `<a href="https://x.example"/>self-closed</a>`,
}

var sanitizeTestOnAttr = regexp.MustCompile(`(?i)^on`)

func FuzzSanitize(f *testing.F) {
	for _, s := range sanitizeTestSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		clean, _ := content.Sanitize(in)
		again, removedAgain := content.Sanitize(clean)
		if again != clean {
			t.Fatalf("not idempotent:\n in:    %q\n once:  %q\n twice: %q", in, clean, again)
		}
		if removedAgain {
			t.Fatalf("clean output still has something dangerous: %q", clean)
		}
		lower := strings.ToLower(clean)
		if strings.Contains(lower, "<script") || strings.Contains(lower, "javascript:") {
			t.Fatalf("dangerous output %q from %q", clean, in)
		}
		z := html.NewTokenizer(strings.NewReader(clean))
		for z.Next() != html.ErrorToken {
			for _, a := range z.Token().Attr {
				if sanitizeTestOnAttr.MatchString(a.Key) {
					t.Fatalf("event attribute %q in %q from %q", a.Key, clean, in)
				}
			}
		}
	})
}
