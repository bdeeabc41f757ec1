-- +goose Up
-- A version is immutable once written: papers and attempts point at it.
CREATE TABLE question_versions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  question_id INTEGER NOT NULL REFERENCES questions(id),
  version INTEGER NOT NULL,
  type TEXT NOT NULL,
  topic_id INTEGER NOT NULL REFERENCES topics(id),
  stem TEXT NOT NULL,
  options_json TEXT NOT NULL,
  key_json TEXT NOT NULL,
  normalization_json TEXT NOT NULL,
  explanation TEXT NOT NULL,
  difficulty INTEGER NOT NULL,
  points INTEGER NOT NULL,
  tags_json TEXT NOT NULL,
  reference_answer TEXT NOT NULL,
  rubric TEXT NOT NULL,
  material_section_id INTEGER NULL,
  editor_id INTEGER NOT NULL REFERENCES users(id),
  created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX ux_question_versions ON question_versions(question_id, version);

-- +goose Down
DROP TABLE question_versions;
