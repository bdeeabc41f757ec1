package server

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.json
var localeFiles embed.FS

// Languages the server speaks, zh-CN first (the default).
var (
	langZH = language.MustParse("zh-CN")
	langEN = language.English
)

// translator turns message ids into text in the caller's language. Message
// files are locales/<area>.<lang>.json, flat {"id": "text {{.Arg}}"} objects.
type translator struct {
	bundle *i18n.Bundle
	mu     sync.Mutex
	locals map[string]*i18n.Localizer
	ids    map[string]map[string]bool // lang → ids present
	// onMissing, when set (by tests), hears of every message id that has no
	// text in the language asked for.
	onMissing func(lang, id string)
}

func newTranslator() (*translator, error) {
	b := i18n.NewBundle(langZH)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	t := &translator{bundle: b, locals: map[string]*i18n.Localizer{}, ids: map[string]map[string]bool{}}
	files, err := fs.Glob(localeFiles, "locales/*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := localeFiles.ReadFile(f)
		if err != nil {
			return nil, err
		}
		// go-i18n takes the language from the file name's last dotted part.
		if _, err := b.ParseMessageFileBytes(data, f); err != nil {
			return nil, fmt.Errorf("locale file %s: %w", f, err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("locale file %s: %w", f, err)
		}
		base := strings.TrimSuffix(path.Base(f), ".json")
		lang := base[strings.LastIndex(base, ".")+1:]
		if t.ids[lang] == nil {
			t.ids[lang] = map[string]bool{}
		}
		for id := range m {
			t.ids[lang][id] = true
		}
	}
	return t, nil
}

// lang picks "zh-CN" or "en" from an Accept-Language header; zh-CN by default.
func pickLang(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return "zh-CN"
	}
	m := language.NewMatcher([]language.Tag{langZH, langEN})
	_, idx, conf := m.Match(tags...)
	if conf == language.No || idx == 0 {
		return "zh-CN"
	}
	return "en"
}

func (t *translator) localizer(lang string) *i18n.Localizer {
	t.mu.Lock()
	defer t.mu.Unlock()
	l, ok := t.locals[lang]
	if !ok {
		l = i18n.NewLocalizer(t.bundle, lang)
		t.locals[lang] = l
	}
	return l
}

// T translates id with args into lang. Text that is not a known id (a message
// a domain built by hand) is returned as it is.
func (t *translator) T(lang, id string, args map[string]any) string {
	if id == "" {
		return ""
	}
	if !t.ids[lang][id] && t.onMissing != nil && looksLikeID(id) {
		t.onMissing(lang, id)
	}
	s, err := t.localizer(lang).Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: args})
	if err != nil {
		return id
	}
	return s
}

// looksLikeID tells a message id ("auth.throttled") from text a domain built
// by hand.
func looksLikeID(s string) bool {
	if !strings.Contains(s, ".") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_') {
			return false
		}
	}
	return true
}
