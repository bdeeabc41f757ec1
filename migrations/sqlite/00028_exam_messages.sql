-- +goose Up
CREATE TABLE exam_messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  exam_id INTEGER NOT NULL REFERENCES exams(id),
  text TEXT NOT NULL,
  sent_by INTEGER NOT NULL REFERENCES users(id),
  sent_at DATETIME NOT NULL
);
CREATE INDEX ix_exam_messages_exam ON exam_messages(exam_id, id);

-- +goose Down
DROP TABLE exam_messages;
