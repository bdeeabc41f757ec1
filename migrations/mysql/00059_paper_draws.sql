-- +goose Up
-- What papers are drawn from: an exam's sections, the approved versions each
-- section could draw at the time (with their option letters) and the
-- shuffles, as JSON, once per distinct set (inputs_sha256). A paper points
-- at the drawing it came from, so its seed rebuilds it exactly whatever
-- happens to the banks later. Papers drawn before this have none.
CREATE TABLE paper_draws (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  exam_id BIGINT NOT NULL,
  inputs_sha256 CHAR(64) NOT NULL,
  inputs_json MEDIUMTEXT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_paper_draws_exam_inputs (exam_id, inputs_sha256),
  CONSTRAINT fk_paper_draws_exam FOREIGN KEY (exam_id) REFERENCES exams(id)
) ENGINE=InnoDB;
ALTER TABLE papers ADD COLUMN draw_id BIGINT NULL,
  ADD CONSTRAINT fk_papers_draw FOREIGN KEY (draw_id) REFERENCES paper_draws(id);

-- +goose Down
ALTER TABLE papers DROP FOREIGN KEY fk_papers_draw;
ALTER TABLE papers DROP COLUMN draw_id;
DROP TABLE paper_draws;
