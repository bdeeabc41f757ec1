package org

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"skillarena"
)

// User is a person who signs in: an engineer, an organiser, a judge… Every user
// belongs to one org unit. SessionEpoch is bumped to end all their sessions at
// once (disable, password change or reset).
type User struct {
	ID                int64
	Username          string
	Name              string
	EmployeeNo        string
	Phone             string
	OrgUnitID         int64
	PasswordHash      string
	Active            bool
	SessionEpoch      int64
	PasswordChangedAt *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// TableName keeps GORM's table name explicit.
func (User) TableName() string { return "users" }

// UserWithUnit is a user with the name of their unit, for lists.
type UserWithUnit struct {
	User
	OrgUnitName string `gorm:"->"`
	OrgUnitPath string `gorm:"->"`
}

var (
	usernamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{2,63}$`)
	phonePattern    = regexp.MustCompile(`^\+?[0-9][0-9 -]{5,19}$`)
	employeePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)
)

// UserInput is what a caller sets when creating a user.
type UserInput struct {
	Username   string
	Name       string
	EmployeeNo string
	Phone      string
	OrgUnitID  int64
	Password   string
}

func (in *UserInput) normalise() {
	in.Username = strings.TrimSpace(in.Username)
	in.Name = strings.TrimSpace(in.Name)
	in.EmployeeNo = strings.TrimSpace(in.EmployeeNo)
	in.Phone = strings.TrimSpace(in.Phone)
}

// validateUserFields checks the fields of a user and returns a message id per
// wrong field.
func validateUserFields(username, name, employeeNo, phone string) map[string]string {
	fields := map[string]string{}
	if username == "" {
		fields["username"] = "field.required"
	} else if !usernamePattern.MatchString(username) {
		fields["username"] = "user.username_format"
	}
	if name == "" {
		fields["name"] = "field.required"
	} else if utf8.RuneCountInString(name) > 100 {
		fields["name"] = "field.too_long_100"
	}
	if employeeNo != "" && !employeePattern.MatchString(employeeNo) {
		fields["employee_no"] = "user.employee_no_format"
	}
	if phone != "" && !phonePattern.MatchString(phone) {
		fields["phone"] = "user.phone_format"
	}
	return fields
}

// UserFilter selects users.
type UserFilter struct {
	// OrgUnitID limits the list to that unit and its subtree.
	OrgUnitID int64
	// Query matches username, name or employee number.
	Query  string
	Active *bool
	Page   Page
}

// ListUsers returns the users whose unit lies inside scope.
func (s *Service) ListUsers(ctx context.Context, scope Scope, f UserFilter) ([]UserWithUnit, int64, error) {
	q := s.db.WithContext(ctx).Model(&User{}).Joins("JOIN org_units ON org_units.id = users.org_unit_id")
	q = scope.Where(q, "org_units.path")
	if f.OrgUnitID != 0 {
		u, err := s.Unit(ctx, scope, f.OrgUnitID)
		if err != nil {
			return nil, 0, err
		}
		q = Scope{Paths: []string{u.Path}}.Where(q, "org_units.path")
	}
	if f.Query != "" {
		like := containsPattern(f.Query)
		q = q.Where("users.username LIKE ?"+likeEscape+" OR users.name LIKE ?"+likeEscape+" OR users.employee_no LIKE ?"+likeEscape, like, like, like)
	}
	if f.Active != nil {
		q = q.Where("users.active = ?", *f.Active)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []UserWithUnit
	err := f.Page.apply(q.Select("users.*, org_units.name AS org_unit_name, org_units.path AS org_unit_path").Order("users.username")).Find(&out).Error
	return out, total, err
}

// User returns the user with id if their unit lies inside scope.
func (s *Service) User(ctx context.Context, scope Scope, id int64) (UserWithUnit, error) {
	var u UserWithUnit
	err := s.db.WithContext(ctx).Model(&User{}).Joins("JOIN org_units ON org_units.id = users.org_unit_id").
		Select("users.*, org_units.name AS org_unit_name, org_units.path AS org_unit_path").
		Where("users.id = ?", id).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return UserWithUnit{}, skillarena.NotFound("user")
	} else if err != nil {
		return UserWithUnit{}, err
	}
	if !scope.Contains(u.OrgUnitPath) {
		return UserWithUnit{}, skillarena.NotFound("user")
	}
	return u, nil
}

// SessionUser is UserByID for checking a session on every request: it may
// answer from a copy up to SessionUserTTL old, so a burst of requests (a
// contestant's autosaves) reads no user. Changes made through this service
// (disabling, a new password) drop the copy at once; on another server they
// take effect at its next RefreshSessionUsers, within SessionUserTTL at most.
func (s *Service) SessionUser(ctx context.Context, id int64) (User, error) {
	if u, ok := s.sessionUsers.Get(id); ok {
		return u, nil
	}
	stamp := s.sessionUsers.Stamp()
	u, err := s.UserByID(ctx, id)
	if err == nil {
		s.sessionUsers.Keep(id, u, stamp)
	}
	return u, err
}

// SessionUserTTL bounds how old SessionUser's copy of a user may be: longer
// than a contestant's autosave interval (5 s) so that autosaves and
// heartbeats cost no user read, short enough that a deactivation or a new
// password made on another server ends a session there within half a minute
// even if RefreshSessionUsers stopped.
const SessionUserTTL = 30 * time.Second

// RefreshSessionUsers re-reads the users SessionUser keeps copies of, a few
// hundred a query, and drops those gone or unused: run every few seconds, it
// keeps the copies in use young, so a change made on another server is seen
// here at the next run instead of after each copy's SessionUserTTL, at the
// cost of one query per 500 users instead of one per user.
func (s *Service) RefreshSessionUsers(ctx context.Context) error {
	return s.sessionUsers.Refresh(ctx, func(ctx context.Context, ids []int64) (map[int64]User, error) {
		var users []User
		if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&users).Error; err != nil {
			return nil, err
		}
		out := make(map[int64]User, len(users))
		for _, u := range users {
			out[u.ID] = u
		}
		return out, nil
	})
}

// UserByID returns a user regardless of scope.
func (s *Service) UserByID(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return User{}, skillarena.NotFound("user")
	}
	return u, err
}

func (s *Service) unitOf(ctx context.Context, tx *gorm.DB, id int64) (Unit, error) {
	var u Unit
	err := tx.WithContext(ctx).Where("id = ?", id).Take(&u).Error
	return u, err
}

// CreateUser adds a user in a unit inside scope (nil scope: tooling).
func (s *Service) CreateUser(ctx context.Context, scope *Scope, in UserInput) (User, error) {
	in.normalise()
	fields := validateUserFields(in.Username, in.Name, in.EmployeeNo, in.Phone)
	if m := ValidatePassword(in.Password); m != "" {
		fields["password"] = m
	}
	if in.OrgUnitID == 0 {
		fields["org_unit_id"] = "field.required"
	}
	if len(fields) > 0 {
		return User{}, skillarena.Invalid(fields)
	}
	hash := s.hasher.Hash(in.Password)
	var u User
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		var err error
		u, err = s.insertUser(ctx, tx, scope, in, hash)
		return err
	})
	return u, dbError(err, "create user")
}

// insertUser writes one validated user and its audit entry inside tx.
func (s *Service) insertUser(ctx context.Context, tx *gorm.DB, scope *Scope, in UserInput, hash string) (User, error) {
	unit, err := s.unitOf(ctx, tx, in.OrgUnitID)
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && scope != nil && !scope.Contains(unit.Path)) {
		return User{}, skillarena.Invalid(map[string]string{"org_unit_id": "org.unit.unknown"})
	} else if err != nil {
		return User{}, err
	}
	now := s.clock.Now()
	u := User{Username: in.Username, Name: in.Name, EmployeeNo: in.EmployeeNo, Phone: in.Phone, OrgUnitID: in.OrgUnitID,
		PasswordHash: hash, Active: true, PasswordChangedAt: &now}
	if err := tx.Create(&u).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return User{}, skillarena.Invalid(map[string]string{"username": "user.username_taken"})
		}
		return User{}, err
	}
	return u, s.audit.Append(ctx, tx, Change{Action: "user.create", ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10), OrgUnitID: &u.OrgUnitID, After: userState(u)})
}

// UserPatch is a partial update of a user; nil fields stay as they are.
type UserPatch struct {
	Name       *string
	EmployeeNo *string
	Phone      *string
	OrgUnitID  *int64
	Active     *bool
}

// UpdateUser changes a user's details, moves them to another unit inside scope,
// or disables or enables them. Disabling ends all their sessions. Organisers
// cannot disable themselves.
func (s *Service) UpdateUser(ctx context.Context, scope Scope, id int64, p UserPatch) (User, error) {
	var u User
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("id = ?", id).Take(&u).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return skillarena.NotFound("user")
		} else if err != nil {
			return err
		}
		unit, err := s.unitOf(ctx, tx, u.OrgUnitID)
		if err != nil {
			return err
		}
		if !scope.Contains(unit.Path) {
			return skillarena.NotFound("user")
		}
		before := userState(u)
		if p.Name != nil {
			u.Name = strings.TrimSpace(*p.Name)
		}
		if p.EmployeeNo != nil {
			u.EmployeeNo = strings.TrimSpace(*p.EmployeeNo)
		}
		if p.Phone != nil {
			u.Phone = strings.TrimSpace(*p.Phone)
		}
		fields := validateUserFields(u.Username, u.Name, u.EmployeeNo, u.Phone)
		if p.OrgUnitID != nil && *p.OrgUnitID != u.OrgUnitID {
			to, err := s.unitOf(ctx, tx, *p.OrgUnitID)
			if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !scope.Contains(to.Path)) {
				fields["org_unit_id"] = "org.unit.unknown"
			} else if err != nil {
				return err
			}
			u.OrgUnitID = *p.OrgUnitID
		}
		if len(fields) > 0 {
			return skillarena.Invalid(fields)
		}
		action := "user.update"
		if p.Active != nil && *p.Active != u.Active {
			if a, ok := skillarena.ActorFrom(ctx); ok && a.UserID == u.ID && !*p.Active {
				return skillarena.NewError(skillarena.ECONFLICT, "user.disable_self", nil)
			}
			u.Active = *p.Active
			if u.Active {
				action = "user.enable"
			} else {
				action = "user.disable"
				u.SessionEpoch++
			}
		}
		s.sessionUsers.Forget(u.ID)
		if err := tx.Model(&u).Select("name", "employee_no", "phone", "org_unit_id", "active", "session_epoch", "updated_at").Updates(&u).Error; err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, Change{Action: action, ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10), OrgUnitID: &u.OrgUnitID, Before: before, After: userState(u)})
	})
	// Again once committed: a copy read meanwhile may hold the old row.
	s.sessionUsers.Forget(id)
	return u, dbError(err, "update user")
}

// ResetPassword sets a new password for a user inside scope and ends all their
// sessions; the organiser tells the user the new password.
func (s *Service) ResetPassword(ctx context.Context, scope Scope, id int64, newPassword string) error {
	if err := passwordError("new_password", newPassword); err != nil {
		return err
	}
	hash := s.hasher.Hash(newPassword)
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		var u User
		if err := tx.Where("id = ?", id).Take(&u).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return skillarena.NotFound("user")
		} else if err != nil {
			return err
		}
		unit, err := s.unitOf(ctx, tx, u.OrgUnitID)
		if err != nil {
			return err
		}
		if !scope.Contains(unit.Path) {
			return skillarena.NotFound("user")
		}
		return s.setPassword(ctx, tx, u, hash, "user.password_reset")
	})
	s.sessionUsers.Forget(id) // again once committed (see UpdateUser)
	return dbError(err, "reset password")
}

// ChangePassword lets a signed-in user change their own password, given the
// old one. Their other sessions end; the caller renews the current one.
func (s *Service) ChangePassword(ctx context.Context, userID int64, oldPassword, newPassword string) error {
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	if !s.hasher.Check(u.PasswordHash, oldPassword) {
		return skillarena.Invalid(map[string]string{"old_password": "password.old_wrong"})
	}
	if err := passwordError("new_password", newPassword); err != nil {
		return err
	}
	if oldPassword == newPassword {
		return skillarena.Invalid(map[string]string{"new_password": "password.same_as_old"})
	}
	hash := s.hasher.Hash(newPassword)
	err = s.transaction(ctx, func(tx *gorm.DB) error {
		return s.setPassword(ctx, tx, u, hash, "user.password_change")
	})
	s.sessionUsers.Forget(userID) // again once committed (see UpdateUser)
	return dbError(err, "change password")
}

func (s *Service) setPassword(ctx context.Context, tx *gorm.DB, u User, hash, action string) error {
	s.sessionUsers.Forget(u.ID)
	now := s.clock.Now()
	if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{
		"password_hash": hash, "password_changed_at": now, "session_epoch": gorm.Expr("session_epoch + 1"), "updated_at": now,
	}).Error; err != nil {
		return err
	}
	// The hash itself never goes into the trail.
	return s.audit.Append(ctx, tx, Change{Action: action, ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10), OrgUnitID: &u.OrgUnitID})
}

func userState(u User) map[string]any {
	return map[string]any{"id": u.ID, "username": u.Username, "name": u.Name, "employee_no": u.EmployeeNo,
		"phone": u.Phone, "org_unit_id": u.OrgUnitID, "active": u.Active}
}

// SeedUsers creates users that share one password in one transaction, hashing
// it once: for demo data and tests, where hashing each of hundreds of users
// would only cost time. Nothing is written if any user is invalid.
func (s *Service) SeedUsers(ctx context.Context, ins []UserInput, password string) ([]User, error) {
	if err := passwordError("password", password); err != nil {
		return nil, err
	}
	hash := s.hasher.Hash(password)
	out := make([]User, 0, len(ins))
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		for _, in := range ins {
			in.normalise()
			if f := validateUserFields(in.Username, in.Name, in.EmployeeNo, in.Phone); len(f) > 0 {
				return skillarena.Invalid(f)
			}
			u, err := s.insertUser(ctx, tx, nil, in, hash)
			if err != nil {
				return err
			}
			out = append(out, u)
		}
		return nil
	})
	return out, dbError(err, "seed users")
}

// CountUsers returns the number of users, to tell an empty database.
func (s *Service) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&User{}).Count(&n).Error
	return n, err
}

// UserNames returns the display names of the given users, for lists that show
// who did something (editors, reviewers).
func (s *Service) UserNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID   int64
		Name string
	}
	if err := s.db.WithContext(ctx).Model(&User{}).Where("id IN ?", ids).Select("id, name").Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}
