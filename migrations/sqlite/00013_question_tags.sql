-- +goose Up
CREATE TABLE question_tags (
  question_id INTEGER NOT NULL REFERENCES questions(id),
  tag TEXT NOT NULL,
  PRIMARY KEY (question_id, tag)
);
CREATE INDEX ix_question_tags_tag ON question_tags(tag);

-- +goose Down
DROP TABLE question_tags;
