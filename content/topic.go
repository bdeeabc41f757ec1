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

// Topic is a node of the topic tree: the seven competition topics at the top,
// subtopics below. Path is the materialised chain of ids ("/1/12/").
type Topic struct {
	ID        int64
	ParentID  *int64
	Code      string
	Name      string
	NameEN    string `gorm:"column:name_en"`
	Path      string
	Depth     int
	SortOrder int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName keeps GORM's table name explicit.
func (Topic) TableName() string { return "topics" }

// ListTopics returns the whole topic tree, parents before children.
func (s *Service) ListTopics(ctx context.Context) ([]Topic, error) {
	var ts []Topic
	err := s.db.WithContext(ctx).Order("depth, sort_order, id").Find(&ts).Error
	return ts, err
}

// Topic returns one topic.
func (s *Service) Topic(ctx context.Context, id int64) (Topic, error) {
	var t Topic
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return t, skillarena.NotFound("topic")
	}
	return t, err
}

// TopicInput is a subtopic to add or a topic's new names.
type TopicInput struct {
	ParentID int64
	Name     string
	NameEN   string
}

func checkTopicNames(name, nameEN string) error {
	f := map[string]string{}
	if strings.TrimSpace(name) == "" {
		f["name"] = "field.required"
	} else if utf8.RuneCountInString(name) > 100 || strings.Contains(name, "/") {
		f["name"] = "topic.name_format"
	}
	if utf8.RuneCountInString(nameEN) > 100 || strings.Contains(nameEN, "/") {
		f["name_en"] = "topic.name_format"
	}
	if len(f) > 0 {
		return skillarena.Invalid(f)
	}
	return nil
}

// CreateTopic adds a subtopic under an existing topic. Topics are shared by
// the whole province, so only organisers of a top unit add them; the seven
// competition topics themselves are fixed.
func (s *Service) CreateTopic(ctx context.Context, scope org.Scope, in TopicInput) (Topic, error) {
	if !scope.CoversTop() {
		return Topic{}, skillarena.NewError(skillarena.EFORBIDDEN, "topic.province_only", nil)
	}
	in.Name, in.NameEN = strings.TrimSpace(in.Name), strings.TrimSpace(in.NameEN)
	if err := checkTopicNames(in.Name, in.NameEN); err != nil {
		return Topic{}, err
	}
	if in.ParentID == 0 {
		return Topic{}, skillarena.Invalid(map[string]string{"parent_id": "field.required"})
	}
	var t Topic
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		var err error
		t, err = s.createTopic(ctx, tx, in.ParentID, in.Name, in.NameEN)
		return err
	})
	return t, dbError(err, "create topic")
}

// createTopic adds a topic under parentID, or at the top when parentID is 0
// (only imports that may create topics make top-level ones).
func (s *Service) createTopic(ctx context.Context, tx *gorm.DB, parentID int64, name, nameEN string) (Topic, error) {
	parent := Topic{Path: "/", Depth: -1, Code: "t"}
	if parentID != 0 {
		if err := tx.Where("id = ?", parentID).Take(&parent).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return Topic{}, skillarena.Invalid(map[string]string{"parent_id": "topic.unknown"})
		} else if err != nil {
			return Topic{}, err
		}
	}
	siblings := tx.Model(&Topic{}).Where("name = ?", name)
	if parentID != 0 {
		siblings = siblings.Where("parent_id = ?", parentID)
	} else {
		siblings = siblings.Where("parent_id IS NULL")
	}
	var n int64
	if err := siblings.Count(&n).Error; err != nil {
		return Topic{}, err
	} else if n > 0 {
		return Topic{}, skillarena.Invalid(map[string]string{"name": "topic.name_taken"})
	}
	count := tx.Model(&Topic{})
	if parentID != 0 {
		count = count.Where("parent_id = ?", parentID)
	} else {
		count = count.Where("parent_id IS NULL")
	}
	if err := count.Count(&n).Error; err != nil {
		return Topic{}, err
	}
	t := Topic{Name: name, NameEN: nameEN, Depth: parent.Depth + 1, SortOrder: int(n) + 1,
		Code: "tmp" + strconv.FormatInt(s.clock.Now().UnixNano(), 36)}
	if parentID != 0 {
		t.ParentID = &parent.ID
	}
	if err := tx.Create(&t).Error; err != nil {
		return Topic{}, err
	}
	t.Path = parent.Path + strconv.FormatInt(t.ID, 10) + "/"
	t.Code = parent.Code + "." + strconv.FormatInt(t.ID, 10)
	if err := tx.Model(&t).Updates(map[string]any{"path": t.Path, "code": t.Code}).Error; err != nil {
		return Topic{}, err
	}
	return t, s.audit.Append(ctx, tx, org.Change{Action: "topic.create", ObjectType: "topic", ObjectID: strconv.FormatInt(t.ID, 10),
		After: map[string]any{"name": t.Name, "name_en": t.NameEN, "parent_id": t.ParentID}})
}

// UpdateTopic renames a topic; a nil name stays as it is.
func (s *Service) UpdateTopic(ctx context.Context, scope org.Scope, id int64, name, nameEN *string) (Topic, error) {
	if !scope.CoversTop() {
		return Topic{}, skillarena.NewError(skillarena.EFORBIDDEN, "topic.province_only", nil)
	}
	var t Topic
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("id = ?", id).Take(&t).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return skillarena.NotFound("topic")
		} else if err != nil {
			return err
		}
		before := map[string]any{"name": t.Name, "name_en": t.NameEN}
		if name != nil {
			t.Name = strings.TrimSpace(*name)
		}
		if nameEN != nil {
			t.NameEN = strings.TrimSpace(*nameEN)
		}
		if err := checkTopicNames(t.Name, t.NameEN); err != nil {
			return err
		}
		if err := tx.Model(&t).Select("name", "name_en", "updated_at").Updates(&t).Error; err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "topic.update", ObjectType: "topic", ObjectID: strconv.FormatInt(t.ID, 10),
			Before: before, After: map[string]any{"name": t.Name, "name_en": t.NameEN}})
	})
	return t, dbError(err, "update topic")
}

// topicIndex resolves topic paths by Chinese or English names.
type topicIndex struct {
	byParent map[int64][]Topic // 0 = top
	byID     map[int64]Topic
}

func (s *Service) loadTopicIndex(ctx context.Context, tx *gorm.DB) (*topicIndex, error) {
	var ts []Topic
	if err := tx.WithContext(ctx).Find(&ts).Error; err != nil {
		return nil, err
	}
	ix := &topicIndex{byParent: map[int64][]Topic{}, byID: map[int64]Topic{}}
	for _, t := range ts {
		ix.add(t)
	}
	return ix, nil
}

func (ix *topicIndex) add(t Topic) {
	var p int64
	if t.ParentID != nil {
		p = *t.ParentID
	}
	ix.byParent[p] = append(ix.byParent[p], t)
	ix.byID[t.ID] = t
}

func sameName(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// resolve finds the topic at path, returning how many leading parts matched.
func (ix *topicIndex) resolve(path []string) (Topic, int) {
	var cur Topic
	var parent int64
	for i, name := range path {
		found := false
		for _, t := range ix.byParent[parent] {
			if sameName(t.Name, name) || (t.NameEN != "" && sameName(t.NameEN, name)) || sameName(t.Code, name) {
				cur, parent, found = t, t.ID, true
				break
			}
		}
		if !found {
			return cur, i
		}
	}
	return cur, len(path)
}

// pathNames returns the Chinese names from the top down to topic id.
func (ix *topicIndex) pathNames(id int64) []string {
	var out []string
	for t, ok := ix.byID[id]; ok; {
		out = append([]string{t.Name}, out...)
		if t.ParentID == nil {
			break
		}
		t, ok = ix.byID[*t.ParentID]
	}
	return out
}
