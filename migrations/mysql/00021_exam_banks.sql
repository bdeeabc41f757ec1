-- +goose Up
-- The banks an exam draws from.
CREATE TABLE exam_banks (
  exam_id BIGINT NOT NULL,
  bank_id BIGINT NOT NULL,
  PRIMARY KEY (exam_id, bank_id),
  CONSTRAINT fk_exam_banks_exam FOREIGN KEY (exam_id) REFERENCES exams(id),
  CONSTRAINT fk_exam_banks_bank FOREIGN KEY (bank_id) REFERENCES banks(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE exam_banks;
