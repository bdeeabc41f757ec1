package org

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"skillarena"
)

// Unit is an org unit: the province, a region, a county bureau, or any other
// level. Path is the materialised chain of ids from the top ("/1/4/9/"), so a
// subtree is a prefix match.
type Unit struct {
	ID        int64
	ParentID  *int64
	Name      string
	Code      string
	Path      string
	Depth     int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName keeps GORM's table name explicit.
func (Unit) TableName() string { return "org_units" }

// UnitWithCount is a unit with the number of users directly in it.
type UnitWithCount struct {
	Unit
	UserCount int64
}

func unitPath(parentPath string, id int64) string {
	if parentPath == "" {
		parentPath = "/"
	}
	return parentPath + strconv.FormatInt(id, 10) + "/"
}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`)

// UnitInput is what a caller sets on a unit.
type UnitInput struct {
	ParentID *int64
	Name     string
	Code     string
}

func validateUnit(name, code string) error {
	fields := map[string]string{}
	name = strings.TrimSpace(name)
	if name == "" {
		fields["name"] = "field.required"
	} else if utf8.RuneCountInString(name) > 100 {
		fields["name"] = "field.too_long_100"
	}
	if !codePattern.MatchString(code) {
		fields["code"] = "org.unit.code_format"
	}
	if len(fields) > 0 {
		return skillarena.Invalid(fields)
	}
	return nil
}

// ListUnits returns the units inside scope, ordered by path so parents come
// before their children, each with its number of users.
func (s *Service) ListUnits(ctx context.Context, scope Scope) ([]UnitWithCount, error) {
	var out []UnitWithCount
	q := s.db.WithContext(ctx).Model(&Unit{}).
		Select("org_units.*, (SELECT COUNT(*) FROM users WHERE users.org_unit_id = org_units.id) AS user_count")
	err := scope.Where(q, "org_units.path").Order("org_units.depth, org_units.name, org_units.id").Find(&out).Error
	return out, err
}

// Unit returns the unit with id if it lies inside scope.
func (s *Service) Unit(ctx context.Context, scope Scope, id int64) (Unit, error) {
	var u Unit
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !scope.Contains(u.Path)) {
		return Unit{}, skillarena.NotFound("unit")
	}
	return u, err
}

// UnitByCode returns the unit with the given code, whatever the scope; for
// start-up tooling and the demo.
func (s *Service) UnitByCode(ctx context.Context, code string) (Unit, error) {
	var u Unit
	err := s.db.WithContext(ctx).Where("code = ?", code).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Unit{}, skillarena.NotFound("unit")
	}
	return u, err
}

// CreateUnit adds a unit. With a parent, the parent must lie inside scope; a
// top-level unit (no parent) can only be made by tooling (scope nil), since an
// organiser's reach always ends at the units they were granted.
func (s *Service) CreateUnit(ctx context.Context, scope *Scope, in UnitInput) (Unit, error) {
	in.Name = strings.TrimSpace(in.Name)
	in.Code = strings.TrimSpace(in.Code)
	if err := validateUnit(in.Name, in.Code); err != nil {
		return Unit{}, err
	}
	var u Unit
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		parentPath := "/"
		depth := 0
		if in.ParentID != nil {
			var parent Unit
			err := tx.Where("id = ?", *in.ParentID).Take(&parent).Error
			if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && scope != nil && !scope.Contains(parent.Path)) {
				return skillarena.Invalid(map[string]string{"parent_id": "org.unit.parent_unknown"})
			} else if err != nil {
				return err
			}
			parentPath, depth = parent.Path, parent.Depth+1
		} else if scope != nil {
			return skillarena.Invalid(map[string]string{"parent_id": "field.required"})
		}
		u = Unit{ParentID: in.ParentID, Name: in.Name, Code: in.Code, Depth: depth}
		if err := tx.Create(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return skillarena.Invalid(map[string]string{"code": "org.unit.code_taken"})
			}
			return err
		}
		u.Path = unitPath(parentPath, u.ID)
		if err := tx.Model(&u).Update("path", u.Path).Error; err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, Change{Action: "org_unit.create", ObjectType: "org_unit", ObjectID: strconv.FormatInt(u.ID, 10), OrgUnitID: &u.ID, After: unitState(u)})
	})
	return u, dbError(err, "create unit")
}

// UnitPatch is a partial update of a unit; nil fields stay as they are.
type UnitPatch struct {
	Name *string
	Code *string
}

// UpdateUnit renames a unit or changes its code.
func (s *Service) UpdateUnit(ctx context.Context, scope Scope, id int64, p UnitPatch) (Unit, error) {
	var u Unit
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("id = ?", id).Take(&u).Error; errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !scope.Contains(u.Path)) {
			return skillarena.NotFound("unit")
		} else if err != nil {
			return err
		}
		before := unitState(u)
		if p.Name != nil {
			u.Name = strings.TrimSpace(*p.Name)
		}
		if p.Code != nil {
			u.Code = strings.TrimSpace(*p.Code)
		}
		if err := validateUnit(u.Name, u.Code); err != nil {
			return err
		}
		if err := tx.Model(&u).Select("name", "code", "updated_at").Updates(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return skillarena.Invalid(map[string]string{"code": "org.unit.code_taken"})
			}
			return err
		}
		return s.audit.Append(ctx, tx, Change{Action: "org_unit.update", ObjectType: "org_unit", ObjectID: strconv.FormatInt(u.ID, 10), OrgUnitID: &u.ID, Before: before, After: unitState(u)})
	})
	return u, dbError(err, "update unit")
}

// DeleteUnit removes an empty unit: one with no child units, users or grants.
// Organisers cannot delete the units they were granted (they would lose them).
func (s *Service) DeleteUnit(ctx context.Context, scope Scope, id int64) error {
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		var u Unit
		if err := tx.Where("id = ?", id).Take(&u).Error; errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !scope.Contains(u.Path)) {
			return skillarena.NotFound("unit")
		} else if err != nil {
			return err
		}
		for _, p := range scope.Paths {
			if p == u.Path {
				return skillarena.NewError(skillarena.ECONFLICT, "org.unit.delete_own", nil)
			}
		}
		var n int64
		if err := tx.Model(&Unit{}).Where("parent_id = ?", id).Count(&n).Error; err != nil {
			return err
		} else if n > 0 {
			return skillarena.NewError(skillarena.ECONFLICT, "org.unit.has_children", nil)
		}
		if err := tx.Model(&User{}).Where("org_unit_id = ?", id).Count(&n).Error; err != nil {
			return err
		} else if n > 0 {
			return skillarena.NewError(skillarena.ECONFLICT, "org.unit.has_users", nil)
		}
		if err := tx.Model(&Grant{}).Where("org_unit_id = ?", id).Count(&n).Error; err != nil {
			return err
		} else if n > 0 {
			return skillarena.NewError(skillarena.ECONFLICT, "org.unit.has_grants", nil)
		}
		if err := tx.Delete(&Unit{}, id).Error; err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, Change{Action: "org_unit.delete", ObjectType: "org_unit", ObjectID: strconv.FormatInt(u.ID, 10), OrgUnitID: u.ParentID, Before: unitState(u)})
	})
	return dbError(err, "delete unit")
}

func unitState(u Unit) map[string]any {
	return map[string]any{"id": u.ID, "parent_id": u.ParentID, "name": u.Name, "code": u.Code, "path": u.Path}
}

// unitsByID loads the units with the given ids.
func unitsByID(tx *gorm.DB, ids []int64) (map[int64]Unit, error) {
	out := map[int64]Unit{}
	if len(ids) == 0 {
		return out, nil
	}
	var us []Unit
	if err := tx.Where("id IN ?", ids).Find(&us).Error; err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	for _, u := range us {
		out[u.ID] = u
	}
	return out, nil
}
