-- +goose Up
CREATE TABLE question_tags (
  question_id BIGINT NOT NULL,
  tag VARCHAR(64) NOT NULL,
  PRIMARY KEY (question_id, tag),
  KEY ix_question_tags_tag (tag),
  CONSTRAINT fk_question_tags_question FOREIGN KEY (question_id) REFERENCES questions(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE question_tags;
