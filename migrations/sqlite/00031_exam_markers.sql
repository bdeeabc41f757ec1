-- +goose Up
-- The judges an organiser assigned to an exam's marking: role "marker" marks,
-- "chief" adjudicates (and may mark).
CREATE TABLE exam_markers (
  exam_id INTEGER NOT NULL REFERENCES exams(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  role TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at DATETIME NOT NULL,
  PRIMARY KEY (exam_id, user_id)
);
CREATE INDEX ix_exam_markers_user ON exam_markers(user_id);

-- +goose Down
DROP TABLE exam_markers;
