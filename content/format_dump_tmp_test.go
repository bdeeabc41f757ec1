package content

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

func TestTmpDump(t *testing.T) {
	for _, f := range []struct {
		name  string
		parse func(string) ([]Draft, []FileError)
	}{
		{"testdata/moodle/telecom.xml", func(p string) ([]Draft, []FileError) { r, _ := os.Open(p); return ParseMoodleXML(r) }},
		{"testdata/moodle/bad.xml", func(p string) ([]Draft, []FileError) { r, _ := os.Open(p); return ParseMoodleXML(r) }},
		{"testdata/moodle/nested_categories_with_questions.xml", func(p string) ([]Draft, []FileError) { r, _ := os.Open(p); return ParseMoodleXML(r) }},
		{"testdata/gift/telecom.gift", func(p string) ([]Draft, []FileError) { r, _ := os.Open(p); return ParseGIFT(r) }},
		{"testdata/gift/bad.gift", func(p string) ([]Draft, []FileError) { r, _ := os.Open(p); return ParseGIFT(r) }},
		{"testdata/aiken/telecom.txt", func(p string) ([]Draft, []FileError) { r, _ := os.Open(p); return ParseAiken(r) }},
		{"testdata/aiken/bad.txt", func(p string) ([]Draft, []FileError) { r, _ := os.Open(p); return ParseAiken(r) }},
		{"testdata/sheet/bad.csv", func(p string) ([]Draft, []FileError) { r, _ := os.Open(p); return ParseCSV(r) }},
	} {
		if os.Getenv("DUMP") != "" && os.Getenv("DUMP") != f.name {
			continue
		}
		d, e := f.parse(f.name)
		fmt.Println("=====", f.name)
		for _, x := range d {
			b, _ := json.Marshal(x)
			fmt.Printf("%+v %v %q\n%s\n", x.Pos, x.TopicPath, x.Name, b)
		}
		for _, x := range e {
			fmt.Printf("ERR %+v %q %s %v\n", x.Pos, x.Field, x.Message, x.Args)
		}
	}
}
