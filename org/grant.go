package org

import (
	"context"
	"errors"
	"strconv"
	"time"

	"gorm.io/gorm"

	"skillarena"
)

// Grant gives a user a role in an org unit and every unit below it.
type Grant struct {
	ID        int64
	UserID    int64
	Role      Role
	OrgUnitID int64
	CreatedAt time.Time
}

// TableName keeps GORM's table name explicit.
func (Grant) TableName() string { return "grants" }

// GrantDetail is a grant with the names a list shows and the unit's path, which
// is the domain the authorisation policy matches against.
type GrantDetail struct {
	Grant
	Username    string `gorm:"->"`
	UserName    string `gorm:"->"`
	OrgUnitName string `gorm:"->"`
	OrgUnitPath string `gorm:"->"`
}

func grantDetails(db *gorm.DB) *gorm.DB {
	return db.Model(&Grant{}).
		Joins("JOIN users ON users.id = grants.user_id").
		Joins("JOIN org_units ON org_units.id = grants.org_unit_id").
		Select("grants.*, users.username AS username, users.name AS user_name, org_units.name AS org_unit_name, org_units.path AS org_unit_path")
}

// GrantFilter selects grants.
type GrantFilter struct {
	OrgUnitID int64
	UserID    int64
	// Query matches the username or name of the user.
	Query string
	Page  Page
}

// ListGrants returns the grants whose unit lies inside scope.
func (s *Service) ListGrants(ctx context.Context, scope Scope, f GrantFilter) ([]GrantDetail, int64, error) {
	q := scope.Where(grantDetails(s.db.WithContext(ctx)), "org_units.path")
	if f.OrgUnitID != 0 {
		u, err := s.Unit(ctx, scope, f.OrgUnitID)
		if err != nil {
			return nil, 0, err
		}
		q = Scope{Paths: []string{u.Path}}.Where(q, "org_units.path")
	}
	if f.UserID != 0 {
		q = q.Where("grants.user_id = ?", f.UserID)
	}
	if f.Query != "" {
		like := containsPattern(f.Query)
		q = q.Where("users.username LIKE ?"+likeEscape+" OR users.name LIKE ?"+likeEscape, like, like)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []GrantDetail
	err := f.Page.apply(q.Order("org_units.path, users.username, grants.role")).Find(&out).Error
	return out, total, err
}

// UserGrants returns every grant a user holds, with unit paths; the session
// layer uses it to authorise requests.
func (s *Service) UserGrants(ctx context.Context, userID int64) ([]GrantDetail, error) {
	var out []GrantDetail
	err := grantDetails(s.db.WithContext(ctx)).Where("grants.user_id = ?", userID).Order("org_units.path, grants.role").Find(&out).Error
	return out, err
}

// AllGrants returns every grant, for loading the
// authorisation enforcer.
func (s *Service) AllGrants(ctx context.Context) ([]GrantDetail, error) {
	var out []GrantDetail
	err := grantDetails(s.db.WithContext(ctx)).Find(&out).Error
	return out, err
}

// PolicyVersion returns the counter that every grant change bumps, so each
// server knows when to reload its enforcer.
func (s *Service) PolicyVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.db.WithContext(ctx).Raw("SELECT version FROM policy_versions WHERE id = 1").Scan(&v).Error
	return v, err
}

func bumpPolicyVersion(tx *gorm.DB) error {
	return tx.Exec("UPDATE policy_versions SET version = version + 1 WHERE id = 1").Error
}

// GrantInput is a role to give a user in a unit.
type GrantInput struct {
	UserID    int64
	Role      Role
	OrgUnitID int64
}

// CreateGrant gives a user a role in a unit. Both the user and the unit must
// lie inside scope (nil: tooling), so an organiser can never reach beyond the
// subtree they were granted. The grant is in force from the next request.
func (s *Service) CreateGrant(ctx context.Context, scope *Scope, in GrantInput) (GrantDetail, error) {
	fields := map[string]string{}
	if !in.Role.Valid() {
		fields["role"] = "grant.role_unknown"
	}
	if in.UserID == 0 {
		fields["user_id"] = "field.required"
	}
	if in.OrgUnitID == 0 {
		fields["org_unit_id"] = "field.required"
	}
	if len(fields) > 0 {
		return GrantDetail{}, skillarena.Invalid(fields)
	}
	var g Grant
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		unit, err := s.unitOf(ctx, tx, in.OrgUnitID)
		if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && scope != nil && !scope.Contains(unit.Path)) {
			return skillarena.Invalid(map[string]string{"org_unit_id": "org.unit.unknown"})
		} else if err != nil {
			return err
		}
		var u User
		if err := tx.Where("id = ?", in.UserID).Take(&u).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return skillarena.Invalid(map[string]string{"user_id": "user.unknown"})
		} else if err != nil {
			return err
		}
		userUnit, err := s.unitOf(ctx, tx, u.OrgUnitID)
		if err != nil {
			return err
		}
		if scope != nil && !scope.Contains(userUnit.Path) {
			return skillarena.Invalid(map[string]string{"user_id": "user.unknown"})
		}
		g = Grant{UserID: in.UserID, Role: in.Role, OrgUnitID: in.OrgUnitID}
		if err := tx.Create(&g).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return skillarena.NewError(skillarena.ECONFLICT, "grant.exists", nil)
			}
			return err
		}
		if err := bumpPolicyVersion(tx); err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, Change{Action: "grant.create", ObjectType: "grant", ObjectID: strconv.FormatInt(g.ID, 10),
			OrgUnitID: &g.OrgUnitID, After: grantState(g, u.Username)})
	})
	if err != nil {
		return GrantDetail{}, dbError(err, "create grant")
	}
	var d GrantDetail
	err = grantDetails(s.db.WithContext(ctx)).Where("grants.id = ?", g.ID).Take(&d).Error
	return d, err
}

// RevokeGrant removes a grant whose unit lies inside scope. Nobody revokes
// their own grants, so an organiser cannot lock themselves out by mistake.
func (s *Service) RevokeGrant(ctx context.Context, scope Scope, id int64) error {
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		var d GrantDetail
		if err := grantDetails(tx).Where("grants.id = ?", id).Take(&d).Error; errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !scope.Contains(d.OrgUnitPath)) {
			return skillarena.NotFound("grant")
		} else if err != nil {
			return err
		}
		if a, ok := skillarena.ActorFrom(ctx); ok && a.UserID == d.UserID {
			return skillarena.NewError(skillarena.ECONFLICT, "grant.revoke_own", nil)
		}
		if err := tx.Delete(&Grant{}, id).Error; err != nil {
			return err
		}
		if err := bumpPolicyVersion(tx); err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, Change{Action: "grant.revoke", ObjectType: "grant", ObjectID: strconv.FormatInt(id, 10),
			OrgUnitID: &d.OrgUnitID, Before: grantState(d.Grant, d.Username)})
	})
	return dbError(err, "revoke grant")
}

func grantState(g Grant, username string) map[string]any {
	return map[string]any{"id": g.ID, "user_id": g.UserID, "username": username, "role": g.Role, "org_unit_id": g.OrgUnitID}
}
