package server

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillarena/org"
)

// auditJSON is an audit entry as the API shows it.
type auditJSON struct {
	ID            int64           `json:"id"`
	At            time.Time       `json:"at"`
	ActorID       *int64          `json:"actor_id"`
	ActorUsername string          `json:"actor_username"`
	IP            string          `json:"ip"`
	Action        string          `json:"action"`
	ObjectType    string          `json:"object_type"`
	ObjectID      string          `json:"object_id"`
	OrgUnitID     *int64          `json:"org_unit_id"`
	Before        json.RawMessage `json:"before"`
	After         json.RawMessage `json:"after"`
	Reason        string          `json:"reason"`
	PrevHash      string          `json:"prev_hash"`
	Hash          string          `json:"hash"`
}

func rawJSON(s *string) json.RawMessage {
	if s == nil || !json.Valid([]byte(*s)) {
		return json.RawMessage("null")
	}
	return json.RawMessage(*s)
}

func (s *Server) listAudit(c *gin.Context) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	entries, total, err := s.org.ListAudit(c.Request.Context(), scope(c), org.AuditFilter{
		Action: c.Query("action"), ObjectType: c.Query("object_type"), Actor: c.Query("actor"), Page: p})
	if err != nil {
		return err
	}
	out := make([]auditJSON, 0, len(entries))
	for _, e := range entries {
		out = append(out, auditJSON{ID: e.ID, At: e.At, ActorID: e.ActorID, ActorUsername: e.ActorUsername, IP: e.IP,
			Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID, OrgUnitID: e.OrgUnitID,
			Before: rawJSON(e.BeforeJSON), After: rawJSON(e.AfterJSON), Reason: e.Reason, PrevHash: e.PrevHash, Hash: e.Hash})
	}
	c.JSON(http.StatusOK, newList(out, total))
	return nil
}

func (s *Server) verifyAudit(c *gin.Context) error {
	v, err := s.org.VerifyAudit(c.Request.Context())
	if err != nil {
		return err
	}
	var first *int64
	if !v.OK {
		first = &v.FirstBrokenID
	}
	c.JSON(http.StatusOK, gin.H{"ok": v.OK, "checked": v.Checked, "first_broken_id": first,
		"problem": s.tr.T(pickLang(c.GetHeader("Accept-Language")), v.Problem, map[string]any{"ID": v.FirstBrokenID})})
	return nil
}
