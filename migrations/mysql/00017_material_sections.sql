-- +goose Up
CREATE TABLE material_sections (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  material_id BIGINT NOT NULL,
  position INT NOT NULL,
  title VARCHAR(200) NOT NULL,
  body MEDIUMTEXT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  KEY ix_material_sections_material (material_id, position),
  CONSTRAINT fk_material_sections_material FOREIGN KEY (material_id) REFERENCES materials(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE material_sections;
