-- +goose Up
-- A corrected key of an objective question for one exam. Papers keep the
-- versions they were drawn with; grading uses this key (and normalisation,
-- when given) in their place. version_id names the version it came from, if any.
CREATE TABLE exam_key_corrections (
  exam_id BIGINT NOT NULL,
  question_id BIGINT NOT NULL,
  version_id BIGINT NULL,
  key_json TEXT NOT NULL,
  normalization_json TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (exam_id, question_id),
  CONSTRAINT fk_exam_key_corrections_exam FOREIGN KEY (exam_id) REFERENCES exams(id),
  CONSTRAINT fk_exam_key_corrections_creator FOREIGN KEY (created_by) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE exam_key_corrections;
