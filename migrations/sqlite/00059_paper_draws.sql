-- +goose Up
-- What papers are drawn from: an exam's sections, the approved versions each
-- section could draw at the time (with their option letters) and the
-- shuffles, as JSON, once per distinct set (inputs_sha256). A paper points
-- at the drawing it came from, so its seed rebuilds it exactly whatever
-- happens to the banks later. Papers drawn before this have none.
CREATE TABLE paper_draws (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  exam_id INTEGER NOT NULL REFERENCES exams(id),
  inputs_sha256 TEXT NOT NULL,
  inputs_json TEXT NOT NULL,
  created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX ux_paper_draws_exam_inputs ON paper_draws(exam_id, inputs_sha256);
ALTER TABLE papers ADD COLUMN draw_id INTEGER NULL REFERENCES paper_draws(id);

-- +goose Down
ALTER TABLE papers DROP COLUMN draw_id;
DROP TABLE paper_draws;
