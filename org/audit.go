package org

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"skillarena"
)

// AuditEntry is one line of the append-only audit trail. Each entry carries the
// hash of the one before it, so changing or deleting an entry breaks the chain
// at that point.
type AuditEntry struct {
	ID            int64 `gorm:"primaryKey;autoIncrement:false"`
	At            time.Time
	ActorID       *int64
	ActorUsername string
	IP            string
	Action        string
	ObjectType    string
	ObjectID      string
	OrgUnitID     *int64
	BeforeJSON    *string `gorm:"column:before_json"`
	AfterJSON     *string `gorm:"column:after_json"`
	Reason        string
	PrevHash      string
	Hash          string
}

// TableName keeps GORM's table name explicit.
func (AuditEntry) TableName() string { return "audit_entries" }

type auditHead struct {
	ID   int
	Seq  int64
	Hash string
}

func (auditHead) TableName() string { return "audit_heads" }

// Change describes one audited change: what was done to which object, in which
// org unit, its state before and after (any JSON-encodable value, nil for
// none), and why.
type Change struct {
	Action     string
	ObjectType string
	ObjectID   string
	OrgUnitID  *int64
	Before     any
	After      any
	Reason     string
}

// Audit appends to and verifies the audit trail.
type Audit struct {
	clock skillarena.Clock
}

// NewAudit returns the audit trail writer.
func NewAudit(clock skillarena.Clock) *Audit { return &Audit{clock: clock} }

// Append writes c to the trail inside tx, the transaction of the change it
// records, so the two commit or roll back together. The acting user and address
// come from ctx. Appends are serialised by the single audit_heads row, which
// each one updates first, so the chain stays linear with several servers.
func (a *Audit) Append(ctx context.Context, tx *gorm.DB, c Change) error {
	return a.AppendMany(ctx, tx, []Change{c})
}

// AppendMany writes several changes of one transaction (a batch review, say)
// as consecutive entries, taking the head's lock once.
func (a *Audit) AppendMany(ctx context.Context, tx *gorm.DB, cs []Change) error {
	if len(cs) == 0 {
		return nil
	}
	// Taking the row lock first (an UPDATE locks on MySQL and takes the write
	// lock on SQLite) makes the read below see the true head.
	if err := tx.WithContext(ctx).Exec("UPDATE audit_heads SET seq = seq + ? WHERE id = 1", len(cs)).Error; err != nil {
		return fmt.Errorf("audit: lock head: %w", err)
	}
	var head auditHead
	if err := tx.WithContext(ctx).Where("id = 1").Take(&head).Error; err != nil {
		return fmt.Errorf("audit: read head: %w", err)
	}
	at := a.clock.Now().UTC().Truncate(time.Microsecond)
	actor, hasActor := skillarena.ActorFrom(ctx)
	entries := make([]AuditEntry, len(cs))
	prev := head.Hash
	first := head.Seq - int64(len(cs)) + 1
	for i, c := range cs {
		before, err := encodeState(c.Before)
		if err != nil {
			return fmt.Errorf("audit: encode before: %w", err)
		}
		after, err := encodeState(c.After)
		if err != nil {
			return fmt.Errorf("audit: encode after: %w", err)
		}
		e := AuditEntry{ID: first + int64(i), At: at, Action: c.Action, ObjectType: c.ObjectType, ObjectID: c.ObjectID,
			OrgUnitID: c.OrgUnitID, BeforeJSON: before, AfterJSON: after, Reason: c.Reason, PrevHash: prev}
		if hasActor {
			if actor.UserID != 0 {
				id := actor.UserID
				e.ActorID = &id
			}
			e.ActorUsername = actor.Username
			e.IP = actor.IP
		}
		e.Hash = e.computeHash()
		prev = e.Hash
		entries[i] = e
	}
	if err := tx.WithContext(ctx).CreateInBatches(&entries, 500).Error; err != nil {
		return fmt.Errorf("audit: insert: %w", err)
	}
	if err := tx.WithContext(ctx).Model(&auditHead{}).Where("id = 1").Update("hash", prev).Error; err != nil {
		return fmt.Errorf("audit: move head: %w", err)
	}
	return nil
}

func encodeState(v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	s := string(b)
	return &s, nil
}

// computeHash is SHA-256 over every field of the entry and the previous hash,
// each length-prefixed so no two different entries share an input.
func (e *AuditEntry) computeHash() string {
	var buf bytes.Buffer
	field := func(s string) {
		buf.WriteString(strconv.Itoa(len(s)))
		buf.WriteByte(':')
		buf.WriteString(s)
		buf.WriteByte(';')
	}
	optInt := func(p *int64) string {
		if p == nil {
			return "-"
		}
		return strconv.FormatInt(*p, 10)
	}
	optStr := func(p *string) string {
		if p == nil {
			return "-"
		}
		return "+" + *p
	}
	field(e.PrevHash)
	field(strconv.FormatInt(e.ID, 10))
	field(e.At.UTC().Format("2006-01-02T15:04:05.000000Z"))
	field(optInt(e.ActorID))
	field(e.ActorUsername)
	field(e.IP)
	field(e.Action)
	field(e.ObjectType)
	field(e.ObjectID)
	field(optInt(e.OrgUnitID))
	field(optStr(e.BeforeJSON))
	field(optStr(e.AfterJSON))
	field(e.Reason)
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:])
}

// Verification is the result of checking the whole chain.
type Verification struct {
	OK      bool
	Checked int64
	// FirstBrokenID is the first entry that does not follow from the ones
	// before it (0 when OK).
	FirstBrokenID int64
	// Problem is a message id saying what is wrong with it.
	Problem string
}

// Verify walks the trail in order and names the first entry whose hash, link
// to its predecessor or sequence number is wrong; it also checks that the head
// matches the last entry, so deleting the newest entries shows too.
func (a *Audit) Verify(ctx context.Context, db *gorm.DB) (Verification, error) {
	var v Verification
	prevHash := ""
	var prevID int64
	const batch = 1000
	for {
		var entries []AuditEntry
		if err := db.WithContext(ctx).Where("id > ?", prevID).Order("id").Limit(batch).Find(&entries).Error; err != nil {
			return v, fmt.Errorf("audit verify: %w", err)
		}
		for i := range entries {
			e := &entries[i]
			v.Checked++
			switch {
			case e.ID != prevID+1:
				return broken(v, prevID+1, "audit.problem.missing"), nil
			case e.PrevHash != prevHash:
				return broken(v, e.ID, "audit.problem.link"), nil
			case e.computeHash() != e.Hash:
				return broken(v, e.ID, "audit.problem.hash"), nil
			}
			prevHash, prevID = e.Hash, e.ID
		}
		if len(entries) < batch {
			break
		}
	}
	var head auditHead
	if err := db.WithContext(ctx).Where("id = 1").Take(&head).Error; err != nil {
		return v, fmt.Errorf("audit verify: read head: %w", err)
	}
	if head.Seq != prevID || head.Hash != prevHash {
		return broken(v, prevID+1, "audit.problem.truncated"), nil
	}
	v.OK = true
	return v, nil
}

func broken(v Verification, id int64, problem string) Verification {
	v.OK = false
	v.FirstBrokenID = id
	v.Problem = problem
	return v
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	Action     string
	ObjectType string
	Actor      string
	Page       Page
}

// ListAudit returns the entries about units inside scope (and, for the
// organisers of the top of the tree, entries about no unit), newest first.
func (s *Service) ListAudit(ctx context.Context, scope Scope, f AuditFilter) ([]AuditEntry, int64, error) {
	q := s.db.WithContext(ctx).Model(&AuditEntry{}).
		Joins("LEFT JOIN org_units ON org_units.id = audit_entries.org_unit_id")
	if scope.CoversTop() {
		q = q.Where(s.db.Where("audit_entries.org_unit_id IS NULL").Or(scope.Where(s.db, "org_units.path")))
	} else {
		q = scope.Where(q, "org_units.path")
	}
	if f.Action != "" {
		q = q.Where("audit_entries.action = ?", f.Action)
	}
	if f.ObjectType != "" {
		q = q.Where("audit_entries.object_type = ?", f.ObjectType)
	}
	if f.Actor != "" {
		q = q.Where("audit_entries.actor_username = ?", f.Actor)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []AuditEntry
	err := f.Page.apply(q.Select("audit_entries.*").Order("audit_entries.id DESC")).Find(&out).Error
	return out, total, err
}

// VerifyAudit checks the whole chain.
func (s *Service) VerifyAudit(ctx context.Context) (Verification, error) {
	return s.audit.Verify(ctx, s.db)
}
