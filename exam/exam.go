// Package exam holds paper blueprints, papers, written exams, attempts with
// autosave and server-side time, grading queues and practice. It may import only
// the root package, org and content.
package exam
