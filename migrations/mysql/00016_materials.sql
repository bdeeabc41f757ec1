-- +goose Up
CREATE TABLE materials (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  topic_id BIGINT NOT NULL,
  org_unit_id BIGINT NOT NULL,
  title VARCHAR(200) NOT NULL,
  summary TEXT NOT NULL,
  updated_by BIGINT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  KEY ix_materials_topic (topic_id),
  CONSTRAINT fk_materials_topic FOREIGN KEY (topic_id) REFERENCES topics(id),
  CONSTRAINT fk_materials_org_unit FOREIGN KEY (org_unit_id) REFERENCES org_units(id),
  CONSTRAINT fk_materials_editor FOREIGN KEY (updated_by) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE materials;
