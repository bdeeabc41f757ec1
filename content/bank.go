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

// Bank is a question bank owned by an org unit. A bank serves its own unit
// and every unit below it: a province bank is usable everywhere in the
// province, a county bank only inside that county.
type Bank struct {
	ID          int64
	OrgUnitID   int64
	Name        string
	Description string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// TableName keeps GORM's table name explicit.
func (Bank) TableName() string { return "banks" }

// BankSummary is a bank with its unit and how many questions it holds.
type BankSummary struct {
	Bank
	OrgUnitName   string `gorm:"->"`
	OrgUnitPath   string `gorm:"->"`
	QuestionCount int64  `gorm:"->"`
	ApprovedCount int64  `gorm:"->"`
}

// banksWithUnit selects banks with their unit's name and path.
func banksWithUnit(db *gorm.DB) *gorm.DB {
	return db.Model(&Bank{}).Joins("JOIN org_units ON org_units.id = banks.org_unit_id").
		Select("banks.*, org_units.name AS org_unit_name, org_units.path AS org_unit_path")
}

// bankSummaries adds the question counts a list shows.
func bankSummaries(db *gorm.DB) *gorm.DB {
	return db.Model(&Bank{}).Joins("JOIN org_units ON org_units.id = banks.org_unit_id").
		Select("banks.*, org_units.name AS org_unit_name, org_units.path AS org_unit_path, " +
			"(SELECT COUNT(*) FROM questions q WHERE q.bank_id = banks.id AND q.status <> 'retired') AS question_count, " +
			"(SELECT COUNT(*) FROM questions q WHERE q.bank_id = banks.id AND q.status = 'approved') AS approved_count")
}

// ListBanks returns the banks a caller with scope may use: those of the units
// inside the scope and of every unit above it.
func (s *Service) ListBanks(ctx context.Context, scope org.Scope) ([]BankSummary, error) {
	var out []BankSummary
	err := visibleUnits(bankSummaries(s.db.WithContext(ctx)), scope).Order("org_units.depth, org_units.path, banks.name").Find(&out).Error
	return out, err
}

// Bank returns a bank the scope may use (see ListBanks); others are not found.
func (s *Service) Bank(ctx context.Context, scope org.Scope, id int64) (BankSummary, error) {
	var b BankSummary
	err := visibleUnits(bankSummaries(s.db.WithContext(ctx)), scope).Where("banks.id = ?", id).Take(&b).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return b, skillarena.NotFound("bank")
	}
	return b, err
}

// writableBank returns the bank with id if the scope may change it: its unit
// lies inside the scope. A bank the caller can only read answers forbidden; one
// they cannot see, not found.
func (s *Service) writableBank(ctx context.Context, tx *gorm.DB, scope org.Scope, id int64) (BankSummary, error) {
	var b BankSummary
	err := visibleUnits(banksWithUnit(tx.WithContext(ctx)), scope).Where("banks.id = ?", id).Take(&b).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return b, skillarena.NotFound("bank")
	} else if err != nil {
		return b, err
	}
	if !scope.Contains(b.OrgUnitPath) {
		return b, skillarena.NewError(skillarena.EFORBIDDEN, "bank.read_only", nil)
	}
	return b, nil
}

// BankInput is what an organiser sets on a bank.
type BankInput struct {
	OrgUnitID   int64
	Name        string
	Description string
}

func checkBank(in BankInput) error {
	f := map[string]string{}
	if strings.TrimSpace(in.Name) == "" {
		f["name"] = "field.required"
	} else if utf8.RuneCountInString(in.Name) > 100 {
		f["name"] = "field.too_long_100"
	}
	if utf8.RuneCountInString(in.Description) > 2000 {
		f["description"] = "field.max"
	}
	if len(f) > 0 {
		return skillarena.Invalid(f)
	}
	return nil
}

// CreateBank adds a bank owned by a unit inside scope.
func (s *Service) CreateBank(ctx context.Context, scope org.Scope, in BankInput) (BankSummary, error) {
	in.Name, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	if err := checkBank(in); err != nil {
		return BankSummary{}, err
	}
	var id int64
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		var path string
		if err := tx.Raw("SELECT path FROM org_units WHERE id = ?", in.OrgUnitID).Scan(&path).Error; err != nil {
			return err
		}
		if path == "" || !scope.Contains(path) {
			return skillarena.Invalid(map[string]string{"org_unit_id": "org.unit.unknown"})
		}
		b := Bank{OrgUnitID: in.OrgUnitID, Name: in.Name, Description: in.Description}
		if err := tx.Create(&b).Error; err != nil {
			return err
		}
		id = b.ID
		return s.audit.Append(ctx, tx, org.Change{Action: "bank.create", ObjectType: "bank", ObjectID: strconv.FormatInt(b.ID, 10),
			OrgUnitID: &b.OrgUnitID, After: map[string]any{"name": b.Name, "description": b.Description}})
	})
	if err != nil {
		return BankSummary{}, dbError(err, "create bank")
	}
	return s.Bank(ctx, scope, id)
}

// UpdateBank renames a bank or changes its description.
func (s *Service) UpdateBank(ctx context.Context, scope org.Scope, id int64, name, description *string) (BankSummary, error) {
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		b, err := s.writableBank(ctx, tx, scope, id)
		if err != nil {
			return err
		}
		before := map[string]any{"name": b.Name, "description": b.Description}
		in := BankInput{Name: b.Name, Description: b.Description}
		if name != nil {
			in.Name = strings.TrimSpace(*name)
		}
		if description != nil {
			in.Description = strings.TrimSpace(*description)
		}
		if err := checkBank(in); err != nil {
			return err
		}
		if err := tx.Model(&Bank{}).Where("id = ?", id).Updates(map[string]any{"name": in.Name, "description": in.Description, "updated_at": s.clock.Now()}).Error; err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "bank.update", ObjectType: "bank", ObjectID: strconv.FormatInt(id, 10),
			OrgUnitID: &b.OrgUnitID, Before: before, After: map[string]any{"name": in.Name, "description": in.Description}})
	})
	if err != nil {
		return BankSummary{}, dbError(err, "update bank")
	}
	return s.Bank(ctx, scope, id)
}
