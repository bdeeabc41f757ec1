-- +goose Up
-- A version is immutable once written: papers and attempts point at it.
CREATE TABLE question_versions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  question_id BIGINT NOT NULL,
  version INT NOT NULL,
  type VARCHAR(32) NOT NULL,
  topic_id BIGINT NOT NULL,
  stem MEDIUMTEXT NOT NULL,
  options_json MEDIUMTEXT NOT NULL,
  key_json TEXT NOT NULL,
  normalization_json VARCHAR(255) NOT NULL,
  explanation MEDIUMTEXT NOT NULL,
  difficulty INT NOT NULL,
  points BIGINT NOT NULL,
  tags_json TEXT NOT NULL,
  reference_answer MEDIUMTEXT NOT NULL,
  rubric MEDIUMTEXT NOT NULL,
  material_section_id BIGINT NULL,
  editor_id BIGINT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_question_versions (question_id, version),
  CONSTRAINT fk_question_versions_question FOREIGN KEY (question_id) REFERENCES questions(id),
  CONSTRAINT fk_question_versions_topic FOREIGN KEY (topic_id) REFERENCES topics(id),
  CONSTRAINT fk_question_versions_editor FOREIGN KEY (editor_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE question_versions;
