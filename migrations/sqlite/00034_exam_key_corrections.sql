-- +goose Up
-- A corrected key of an objective question for one exam. Papers keep the
-- versions they were drawn with; grading uses this key (and normalisation,
-- when given) in their place. version_id names the version it came from, if any.
CREATE TABLE exam_key_corrections (
  exam_id INTEGER NOT NULL REFERENCES exams(id),
  question_id INTEGER NOT NULL,
  version_id INTEGER NULL,
  key_json TEXT NOT NULL,
  normalization_json TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  PRIMARY KEY (exam_id, question_id)
);

-- +goose Down
DROP TABLE exam_key_corrections;
