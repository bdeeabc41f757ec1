-- +goose Up
CREATE TABLE exam_enrolments (
  exam_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  extra_seconds INT NOT NULL DEFAULT 0,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (exam_id, user_id),
  KEY ix_exam_enrolments_user (user_id),
  CONSTRAINT fk_exam_enrolments_exam FOREIGN KEY (exam_id) REFERENCES exams(id),
  CONSTRAINT fk_exam_enrolments_user FOREIGN KEY (user_id) REFERENCES users(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE exam_enrolments;
