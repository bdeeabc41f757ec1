package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillarena/org"
)

// grantJSON is a grant as the API shows it.
type grantJSON struct {
	ID          int64     `json:"id"`
	UserID      int64     `json:"user_id"`
	Username    string    `json:"username"`
	UserName    string    `json:"user_name"`
	Role        org.Role  `json:"role"`
	OrgUnitID   int64     `json:"org_unit_id"`
	OrgUnitName string    `json:"org_unit_name"`
	CreatedAt   time.Time `json:"created_at"`
}

func toGrantJSON(g org.GrantDetail) grantJSON {
	return grantJSON{ID: g.ID, UserID: g.UserID, Username: g.Username, UserName: g.UserName, Role: g.Role,
		OrgUnitID: g.OrgUnitID, OrgUnitName: g.OrgUnitName, CreatedAt: g.CreatedAt}
}

func (s *Server) listGrants(c *gin.Context) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	unitID, err := queryID(c, "org_unit_id")
	if err != nil {
		return err
	}
	userID, err := queryID(c, "user_id")
	if err != nil {
		return err
	}
	grants, total, err := s.org.ListGrants(c.Request.Context(), scope(c), org.GrantFilter{OrgUnitID: unitID, UserID: userID, Query: c.Query("q"), Page: p})
	if err != nil {
		return err
	}
	out := make([]grantJSON, 0, len(grants))
	for _, g := range grants {
		out = append(out, toGrantJSON(g))
	}
	c.JSON(http.StatusOK, newList(out, total))
	return nil
}

type createGrantRequest struct {
	UserID    int64  `json:"user_id" binding:"required"`
	Role      string `json:"role" binding:"required"`
	OrgUnitID int64  `json:"org_unit_id" binding:"required"`
}

func (s *Server) createGrant(c *gin.Context) error {
	var req createGrantRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	sc := scope(c)
	g, err := s.org.CreateGrant(c.Request.Context(), &sc, org.GrantInput{UserID: req.UserID, Role: org.Role(req.Role), OrgUnitID: req.OrgUnitID})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, toGrantJSON(g))
	return nil
}

func (s *Server) revokeGrant(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.org.RevokeGrant(c.Request.Context(), scope(c), id); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
