// Package exam holds paper blueprints, papers, written exams, attempts with
// autosave and server-side time, grading queues and practice. It may import only
// the root package, org and content.
package exam

import (
	"skillarena"
	"skillarena/content"
)

// Section is one part of a blueprint: draw Count approved questions of one
// type from a topic (with its subtopics), optionally of one difficulty, each
// worth PointsEach.
type Section struct {
	Title      string               `json:"title"`
	TopicID    int64                `json:"topic_id"`
	Type       content.QuestionType `json:"type"`
	Difficulty int                  `json:"difficulty"` // 0: any
	Count      int                  `json:"count"`
	PointsEach skillarena.Points    `json:"points_each"`
}

// Candidate is an approved question version a section may draw.
type Candidate struct {
	QuestionID int64 `json:"question_id"`
	VersionID  int64 `json:"version_id"`
	// OptionKeys are the version's option letters in their stored order
	// (empty for types without options).
	OptionKeys []string `json:"option_keys,omitempty"`
}

// Item is one question of a paper as drawn: which version, in which
// position, worth how much, and in which order its options are shown.
type Item struct {
	Position   int                  `json:"position"` // 1-based, after shuffling
	Section    int                  `json:"section"`  // index into the blueprint's sections
	QuestionID int64                `json:"question_id"`
	VersionID  int64                `json:"version_id"`
	Type       content.QuestionType `json:"type"`
	Points     skillarena.Points    `json:"points"`
	// OptionOrder lists the version's option keys in the order shown: the
	// option shown as "A" is the version's OptionOrder[0], and so on. Empty
	// when options are not shuffled or the type has none.
	OptionOrder []string `json:"option_order,omitempty"`
}

// Shuffle says what a draw may reorder.
type Shuffle struct {
	Questions bool `json:"questions"`
	Options   bool `json:"options"`
}

// GradeOptions are the exam's marking rules for objective items.
type GradeOptions struct {
	// PartialCredit gives part of the points on a multiple-choice item when
	// the chosen options are some of the right ones and none is wrong;
	// otherwise multiple choice is all-or-nothing.
	PartialCredit bool `json:"partial_credit"`
}
