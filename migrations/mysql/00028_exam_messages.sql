-- +goose Up
CREATE TABLE exam_messages (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  exam_id BIGINT NOT NULL,
  text VARCHAR(2000) NOT NULL,
  sent_by BIGINT NOT NULL,
  sent_at DATETIME(6) NOT NULL,
  KEY ix_exam_messages_exam (exam_id, id),
  CONSTRAINT fk_exam_messages_exam FOREIGN KEY (exam_id) REFERENCES exams(id),
  CONSTRAINT fk_exam_messages_user FOREIGN KEY (sent_by) REFERENCES users(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE exam_messages;
