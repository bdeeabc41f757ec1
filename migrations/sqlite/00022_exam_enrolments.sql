-- +goose Up
CREATE TABLE exam_enrolments (
  exam_id INTEGER NOT NULL REFERENCES exams(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  extra_seconds INTEGER NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (exam_id, user_id)
);
CREATE INDEX ix_exam_enrolments_user ON exam_enrolments(user_id);

-- +goose Down
DROP TABLE exam_enrolments;
