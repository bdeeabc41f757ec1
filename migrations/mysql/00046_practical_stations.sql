-- +goose Up
-- A station is where a panel of judges marks contestants doing one task.
CREATE TABLE practical_stations (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  stage_id BIGINT NOT NULL,
  task_id BIGINT NOT NULL,
  name VARCHAR(200) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  KEY ix_practical_stations_stage (stage_id),
  CONSTRAINT fk_practical_stations_stage FOREIGN KEY (stage_id) REFERENCES stages(id),
  CONSTRAINT fk_practical_stations_task FOREIGN KEY (task_id) REFERENCES practical_tasks(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE practical_stations;
