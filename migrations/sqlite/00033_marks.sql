-- +goose Up
-- A judge's mark of a marking item. slot 1 and 2 are the two independent
-- marks, slot 3 the chief judge's adjudication; the unique keys make a third
-- independent mark, or a judge marking one answer twice, impossible.
CREATE TABLE marks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  item_id INTEGER NOT NULL REFERENCES marking_items(id),
  judge_id INTEGER NOT NULL REFERENCES users(id),
  slot INTEGER NOT NULL,
  points INTEGER NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX ux_marks_item_slot ON marks(item_id, slot);
CREATE UNIQUE INDEX ux_marks_item_judge ON marks(item_id, judge_id);
CREATE INDEX ix_marks_judge ON marks(judge_id);

-- +goose Down
DROP TABLE marks;
