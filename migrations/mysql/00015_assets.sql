-- +goose Up
CREATE TABLE assets (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sha256 CHAR(64) NOT NULL,
  content_type VARCHAR(64) NOT NULL,
  size INT NOT NULL,
  data MEDIUMBLOB NOT NULL,
  created_by BIGINT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  KEY ix_assets_sha256 (sha256),
  CONSTRAINT fk_assets_creator FOREIGN KEY (created_by) REFERENCES users(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE assets;
