-- +goose Up
-- remark_reason: why the chief judge (or the stage organiser) sent the judge
-- back to re-mark this contestant, set on all of the judge's marks of the
-- contestant when their sign-off is withdrawn and cleared when they sign off
-- again; the judge reads it on their sheet.
ALTER TABLE practical_marks ADD COLUMN remark_reason VARCHAR(2000) NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE practical_marks DROP COLUMN remark_reason;
