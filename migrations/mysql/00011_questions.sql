-- +goose Up
-- questions holds each question's identity and the denormalised facts of its
-- current version that searches and counts filter on.
CREATE TABLE questions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  bank_id BIGINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  current_version INT NOT NULL DEFAULT 0,
  type VARCHAR(32) NOT NULL,
  topic_id BIGINT NOT NULL,
  difficulty INT NOT NULL,
  fingerprint CHAR(64) NOT NULL,
  search_text TEXT NOT NULL,
  last_editor_id BIGINT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  KEY ix_questions_bank_status (bank_id, status),
  KEY ix_questions_topic (topic_id, type, difficulty),
  KEY ix_questions_fingerprint (fingerprint),
  CONSTRAINT fk_questions_bank FOREIGN KEY (bank_id) REFERENCES banks(id),
  CONSTRAINT fk_questions_topic FOREIGN KEY (topic_id) REFERENCES topics(id),
  CONSTRAINT fk_questions_editor FOREIGN KEY (last_editor_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE questions;
