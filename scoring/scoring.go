// Package scoring holds competitions, stages, teams and rosters, the practical
// draw, rubrics and judges' marks, the exact score combination, rankings,
// publication and selection. It may import only the root package, org and exam.
package scoring
