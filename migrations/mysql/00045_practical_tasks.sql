-- +goose Up
-- A practical task of a stage and its rubric: criteria_json is the ordered
-- list of criteria ({id, name, kind, max_points, scale}), read and written
-- with the task as one document, frozen once a station of the task has a mark.
CREATE TABLE practical_tasks (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  stage_id BIGINT NOT NULL,
  name VARCHAR(200) NOT NULL,
  description TEXT NOT NULL,
  criteria_json MEDIUMTEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  KEY ix_practical_tasks_stage (stage_id),
  CONSTRAINT fk_practical_tasks_stage FOREIGN KEY (stage_id) REFERENCES stages(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE practical_tasks;
