-- +goose Up
-- The banks an exam draws from.
CREATE TABLE exam_banks (
  exam_id INTEGER NOT NULL REFERENCES exams(id),
  bank_id INTEGER NOT NULL REFERENCES banks(id),
  PRIMARY KEY (exam_id, bank_id)
);

-- +goose Down
DROP TABLE exam_banks;
