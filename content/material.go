package content

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"skillarena"
	"skillarena/org"
)

// Material is an article of study material (业务规范, 流程, 教材) on a topic,
// owned by an org unit like a bank: it serves its unit and every unit below.
type Material struct {
	ID        int64
	TopicID   int64
	OrgUnitID int64
	Title     string
	Summary   string
	UpdatedBy int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName keeps GORM's table name explicit.
func (Material) TableName() string { return "materials" }

// Section is a numbered part of an article; questions point at the section
// they test.
type Section struct {
	ID         int64
	MaterialID int64
	Position   int
	Title      string
	Body       string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TableName keeps GORM's table name explicit.
func (Section) TableName() string { return "material_sections" }

// MaterialRow is an article in a list.
type MaterialRow struct {
	Material
	TopicName   string `gorm:"->"`
	OrgUnitName string `gorm:"->"`
	OrgUnitPath string `gorm:"->"`
}

// MaterialDetail is an article with its sections.
type MaterialDetail struct {
	MaterialRow
	Sections []Section
	Editable bool
}

func materialRows(db *gorm.DB) *gorm.DB {
	return db.Model(&Material{}).Joins("JOIN org_units ON org_units.id = materials.org_unit_id").
		Joins("JOIN topics ON topics.id = materials.topic_id").
		Select("materials.*, topics.name AS topic_name, org_units.name AS org_unit_name, org_units.path AS org_unit_path")
}

// ListMaterials returns the articles the scope may read, optionally of one
// topic and its subtopics.
func (s *Service) ListMaterials(ctx context.Context, scope org.Scope, topicID int64) ([]MaterialRow, error) {
	q := visibleUnits(materialRows(s.db.WithContext(ctx)), scope)
	if topicID != 0 {
		t, err := s.Topic(ctx, topicID)
		if err != nil {
			return nil, skillarena.Invalid(map[string]string{"topic_id": "topic.unknown"})
		}
		q = q.Where("topics.path LIKE ?", t.Path+"%")
	}
	var out []MaterialRow
	err := q.Order("topics.path, materials.title").Find(&out).Error
	return out, err
}

// Material returns an article the scope may read, with its sections.
func (s *Service) Material(ctx context.Context, scope org.Scope, id int64) (MaterialDetail, error) {
	var m MaterialDetail
	err := visibleUnits(materialRows(s.db.WithContext(ctx)), scope).Where("materials.id = ?", id).Take(&m.MaterialRow).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return m, skillarena.NotFound("material")
	} else if err != nil {
		return m, err
	}
	if err := s.db.WithContext(ctx).Where("material_id = ?", id).Order("position").Find(&m.Sections).Error; err != nil {
		return m, err
	}
	m.Editable = scope.Contains(m.OrgUnitPath)
	return m, nil
}

// SectionInput is one section of an article being saved; ID 0 adds it.
type SectionInput struct {
	ID    int64
	Title string
	Body  string
}

// MaterialInput is an article being saved with all its sections in order.
type MaterialInput struct {
	TopicID   int64
	OrgUnitID int64
	Title     string
	Summary   string
	Sections  []SectionInput
}

func (in *MaterialInput) check() error {
	f := map[string]string{}
	in.Title, in.Summary = strings.TrimSpace(in.Title), strings.TrimSpace(in.Summary)
	if in.Title == "" {
		f["title"] = "field.required"
	} else if utf8.RuneCountInString(in.Title) > 200 {
		f["title"] = "field.max"
	}
	if in.TopicID == 0 {
		f["topic_id"] = "field.required"
	}
	if len(in.Sections) == 0 {
		f["sections"] = "material.needs_section"
	}
	if len(in.Sections) > 200 {
		f["sections"] = "field.max"
	}
	for i := range in.Sections {
		sec := &in.Sections[i]
		sec.Title = strings.TrimSpace(sec.Title)
		if sec.Title == "" {
			f["sections."+strconv.Itoa(i)+".title"] = "field.required"
		}
		sec.Body, _ = Sanitize(sec.Body)
		if utf8.RuneCountInString(sec.Body) > 200000 {
			f["sections."+strconv.Itoa(i)+".body"] = "field.max"
		}
	}
	if len(f) > 0 {
		return skillarena.Invalid(f)
	}
	return nil
}

// SaveMaterial creates (id 0) or replaces an article and its sections. A
// section keeps its id (and the questions pointing at it) when it is saved
// with its id; a section left out is removed unless a question points at it.
func (s *Service) SaveMaterial(ctx context.Context, scope org.Scope, id int64, in MaterialInput) (MaterialDetail, error) {
	if err := in.check(); err != nil {
		return MaterialDetail{}, err
	}
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		var m Material
		if id != 0 {
			var row MaterialRow
			err := visibleUnits(materialRows(tx), scope).Where("materials.id = ?", id).Take(&row).Error
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return skillarena.NotFound("material")
			} else if err != nil {
				return err
			}
			if !scope.Contains(row.OrgUnitPath) {
				return skillarena.NewError(skillarena.EFORBIDDEN, "material.read_only", nil)
			}
			m = row.Material
			in.OrgUnitID = m.OrgUnitID
		} else {
			var path string
			if err := tx.Raw("SELECT path FROM org_units WHERE id = ?", in.OrgUnitID).Scan(&path).Error; err != nil {
				return err
			}
			if path == "" || !scope.Contains(path) {
				return skillarena.Invalid(map[string]string{"org_unit_id": "org.unit.unknown"})
			}
		}
		if err := s.checkTopicAndSection(tx, in.TopicID, nil); err != nil {
			return err
		}
		m.TopicID, m.OrgUnitID, m.Title, m.Summary, m.UpdatedBy = in.TopicID, in.OrgUnitID, in.Title, in.Summary, skillarena.ActorID(ctx)
		action := "material.update"
		if m.ID == 0 {
			action = "material.create"
			if err := tx.Create(&m).Error; err != nil {
				return err
			}
		} else if err := tx.Model(&m).Select("topic_id", "title", "summary", "updated_by", "updated_at").Updates(&m).Error; err != nil {
			return err
		}
		var existing []Section
		if err := tx.Where("material_id = ?", m.ID).Find(&existing).Error; err != nil {
			return err
		}
		keep := map[int64]bool{}
		for i, in := range in.Sections {
			sec := Section{ID: in.ID, MaterialID: m.ID, Position: i + 1, Title: in.Title, Body: in.Body}
			if sec.ID == 0 {
				if err := tx.Create(&sec).Error; err != nil {
					return err
				}
				continue
			}
			res := tx.Model(&Section{}).Where("id = ? AND material_id = ?", sec.ID, m.ID).
				Updates(map[string]any{"position": sec.Position, "title": sec.Title, "body": sec.Body, "updated_at": s.clock.Now()})
			if res.Error != nil {
				return res.Error
			} else if res.RowsAffected == 0 {
				return skillarena.Invalid(map[string]string{"sections." + strconv.Itoa(i) + ".id": "material.section_unknown"})
			}
			keep[sec.ID] = true
		}
		for _, old := range existing {
			if keep[old.ID] {
				continue
			}
			var used int64
			if err := tx.Model(&Version{}).Where("material_section_id = ?", old.ID).Count(&used).Error; err != nil {
				return err
			} else if used > 0 {
				return skillarena.NewError(skillarena.ECONFLICT, "material.section_in_use", map[string]any{"Title": old.Title})
			}
			if err := tx.Delete(&Section{}, old.ID).Error; err != nil {
				return err
			}
		}
		id = m.ID
		return s.audit.Append(ctx, tx, org.Change{Action: action, ObjectType: "material", ObjectID: strconv.FormatInt(m.ID, 10),
			OrgUnitID: &m.OrgUnitID, After: map[string]any{"title": m.Title, "topic_id": m.TopicID, "sections": len(in.Sections)}})
	})
	if err != nil {
		return MaterialDetail{}, dbError(err, "save material")
	}
	return s.Material(ctx, scope, id)
}
