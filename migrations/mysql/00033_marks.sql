-- +goose Up
-- A judge's mark of a marking item. slot 1 and 2 are the two independent
-- marks, slot 3 the chief judge's adjudication; the unique keys make a third
-- independent mark, or a judge marking one answer twice, impossible.
CREATE TABLE marks (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  item_id BIGINT NOT NULL,
  judge_id BIGINT NOT NULL,
  slot INT NOT NULL,
  points BIGINT NOT NULL,
  comment TEXT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_marks_item_slot (item_id, slot),
  UNIQUE KEY ux_marks_item_judge (item_id, judge_id),
  KEY ix_marks_judge (judge_id),
  CONSTRAINT fk_marks_item FOREIGN KEY (item_id) REFERENCES marking_items(id),
  CONSTRAINT fk_marks_judge FOREIGN KEY (judge_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE marks;
