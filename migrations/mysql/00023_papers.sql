-- +goose Up
-- A paper as drawn: the seed it was drawn with and its items, pointing at
-- question versions. user_id is 0 for the one paper of a fixed exam.
CREATE TABLE papers (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  exam_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL DEFAULT 0,
  attempt_number INT NOT NULL DEFAULT 0,
  seed CHAR(64) NOT NULL,
  items_json MEDIUMTEXT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_papers_exam_user (exam_id, user_id, attempt_number),
  CONSTRAINT fk_papers_exam FOREIGN KEY (exam_id) REFERENCES exams(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE papers;
