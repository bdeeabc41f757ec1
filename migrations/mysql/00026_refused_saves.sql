-- +goose Up
-- Saves refused because they came after the deadline and its grace.
CREATE TABLE refused_saves (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  attempt_id BIGINT NOT NULL,
  position INT NOT NULL,
  seq BIGINT NOT NULL,
  reason VARCHAR(32) NOT NULL,
  at DATETIME(6) NOT NULL,
  KEY ix_refused_saves_attempt (attempt_id),
  CONSTRAINT fk_refused_saves_attempt FOREIGN KEY (attempt_id) REFERENCES attempts(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE refused_saves;
