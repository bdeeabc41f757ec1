// Package content holds topics, question banks, questions and their versions,
// study material and the import/export formats. It may import only the root
// package and org.
package content

import (
	"skillarena"
)

// QuestionType is one of the six kinds of question usual in Chinese skills
// exams; the strings are the API's.
type QuestionType string

// The question types.
const (
	SingleChoice   QuestionType = "single_choice"   // 单选
	MultipleChoice QuestionType = "multiple_choice" // 多选
	TrueFalse      QuestionType = "true_false"      // 判断
	FillBlank      QuestionType = "fill_blank"      // 填空
	ShortAnswer    QuestionType = "short_answer"    // 简答
	Essay          QuestionType = "essay"           // 论述 / 方案设计
)

// QuestionTypes lists every type in the order menus show them.
var QuestionTypes = []QuestionType{SingleChoice, MultipleChoice, TrueFalse, FillBlank, ShortAnswer, Essay}

// Valid reports whether t is a known type.
func (t QuestionType) Valid() bool {
	for _, x := range QuestionTypes {
		if x == t {
			return true
		}
	}
	return false
}

// Objective reports whether answers of this type are graded automatically
// (short answers and essays go to judges).
func (t QuestionType) Objective() bool {
	return t != ShortAnswer && t != Essay
}

// Option is one choice of a choice question: its letter and its text (HTML).
type Option struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

// Blank is one gap of a fill-in-the-blank question with every answer accepted
// for it (after normalisation).
type Blank struct {
	Accepted []string `json:"accepted"`
}

// Normalization says how a fill-in answer is compared with the accepted ones.
// The zero value compares exactly; DefaultNormalization is what editors and
// importers start from.
type Normalization struct {
	// FoldWidth treats full-width letters, digits and punctuation (Ａ１，) as
	// their half-width forms (A1,).
	FoldWidth bool `json:"fold_width"`
	// IgnoreCase compares letters without regard to case.
	IgnoreCase bool `json:"ignore_case"`
	// TrimSpace ignores spaces around the answer and collapses runs inside it.
	TrimSpace bool `json:"trim_space"`
}

// DefaultNormalization folds width, ignores case and trims spaces.
var DefaultNormalization = Normalization{FoldWidth: true, IgnoreCase: true, TrimSpace: true}

// Key is the correct answer of a question, by type: Choices for single (one)
// and multiple choice (one or more); True for true/false; Blanks for fill in
// the blank. Short answers and essays have no key, only a reference answer
// and a rubric for judges.
type Key struct {
	Choices []string `json:"choices,omitempty"`
	True    *bool    `json:"true,omitempty"`
	Blanks  []Blank  `json:"blanks,omitempty"`
}

// Draft is a question as an editor or an importer produces it, before
// validation and storage: the neutral form between every file format and the
// bank. HTML fields are sanitised by the service, not by parsers.
type Draft struct {
	// Pos is where the question came from in an imported file.
	Pos  Pos          `json:"-"`
	Type QuestionType `json:"type"`
	// TopicPath names the topic from the top, e.g. ["全业务网络知识", "IP 网络"];
	// a name may be the Chinese or the English one. Empty means unknown.
	TopicPath []string `json:"-"`
	Stem      string   `json:"stem"`
	Options   []Option `json:"options"`
	Key       Key      `json:"key"`
	// Normalization applies to fill-in blanks.
	Normalization Normalization `json:"normalization"`
	Explanation   string        `json:"explanation"`
	// Difficulty is 1 (easy) to 5 (hard); 0 means not given (importers then
	// use 3).
	Difficulty int `json:"difficulty"`
	// Points is the default score; 0 means not given (the type's default).
	Points skillarena.Points `json:"points"`
	Tags   []string          `json:"tags"`
	// ReferenceAnswer and Rubric guide judges on short answers and essays.
	ReferenceAnswer string `json:"reference_answer"`
	Rubric          string `json:"rubric"`
	// Name is an optional title some formats carry (Moodle, GIFT).
	Name string `json:"-"`
}

// Pos locates a question in an imported file: Row (and, for an error, Column
// letter) in a spreadsheet, or Line in a text format. Zero values are unknown.
type Pos struct {
	Row    int
	Column string
	Line   int
}

// FileError is a problem found while reading an import file: where, which
// field (the column header or the format's element), and a message id with
// its template arguments.
type FileError struct {
	Pos     Pos
	Field   string
	Message string
	Args    map[string]any
}
