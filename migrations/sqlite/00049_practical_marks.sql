-- +goose Up
-- A judge's mark of one criterion for one contestant. signed_off_at is set on
-- all of a judge's marks of a contestant at once when the judge signs off;
-- from then on only the chief judge changes them (a correction, audited).
CREATE TABLE practical_marks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  stage_id INTEGER NOT NULL REFERENCES stages(id),
  station_id INTEGER NOT NULL REFERENCES practical_stations(id),
  contestant_id INTEGER NOT NULL REFERENCES users(id),
  judge_id INTEGER NOT NULL REFERENCES users(id),
  criterion_id INTEGER NOT NULL,
  points INTEGER NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  signed_off_at DATETIME NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX ux_practical_marks ON practical_marks(stage_id, contestant_id, judge_id, criterion_id);
CREATE INDEX ix_practical_marks_judge ON practical_marks(judge_id);
CREATE INDEX ix_practical_marks_signed ON practical_marks(stage_id, signed_off_at);

-- +goose Down
DROP TABLE practical_marks;
