-- +goose Up
CREATE TABLE attempts (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  exam_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  number INT NOT NULL,
  paper_id BIGINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  started_at DATETIME(6) NOT NULL,
  deadline DATETIME(6) NOT NULL,
  submitted_at DATETIME(6) NULL,
  submitted_by VARCHAR(16) NOT NULL DEFAULT '',
  score BIGINT NULL,
  graded TINYINT(1) NOT NULL DEFAULT 0,
  focus_losses INT NOT NULL DEFAULT 0,
  last_seen_at DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_attempts_exam_user_number (exam_id, user_id, number),
  KEY ix_attempts_status_deadline (status, deadline),
  CONSTRAINT fk_attempts_exam FOREIGN KEY (exam_id) REFERENCES exams(id),
  CONSTRAINT fk_attempts_user FOREIGN KEY (user_id) REFERENCES users(id),
  CONSTRAINT fk_attempts_paper FOREIGN KEY (paper_id) REFERENCES papers(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE attempts;
