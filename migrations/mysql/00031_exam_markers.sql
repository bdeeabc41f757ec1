-- +goose Up
-- The judges an organiser assigned to an exam's marking: role "marker" marks,
-- "chief" adjudicates (and may mark).
CREATE TABLE exam_markers (
  exam_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  role VARCHAR(16) NOT NULL,
  created_by BIGINT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (exam_id, user_id),
  KEY ix_exam_markers_user (user_id),
  CONSTRAINT fk_exam_markers_exam FOREIGN KEY (exam_id) REFERENCES exams(id),
  CONSTRAINT fk_exam_markers_user FOREIGN KEY (user_id) REFERENCES users(id),
  CONSTRAINT fk_exam_markers_creator FOREIGN KEY (created_by) REFERENCES users(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE exam_markers;
