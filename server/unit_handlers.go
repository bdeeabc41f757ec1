package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillarena/org"
)

// unitJSON is an org unit as the API shows it.
type unitJSON struct {
	ID        int64     `json:"id"`
	ParentID  *int64    `json:"parent_id"`
	Name      string    `json:"name"`
	Code      string    `json:"code"`
	Depth     int       `json:"depth"`
	UserCount int64     `json:"user_count"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func toUnitJSON(u org.Unit, users int64) unitJSON {
	return unitJSON{ID: u.ID, ParentID: u.ParentID, Name: u.Name, Code: u.Code, Depth: u.Depth, UserCount: users,
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
}

func (s *Server) listUnits(c *gin.Context) error {
	units, err := s.org.ListUnits(c.Request.Context(), scope(c))
	if err != nil {
		return err
	}
	out := make([]unitJSON, 0, len(units))
	for _, u := range units {
		out = append(out, toUnitJSON(u.Unit, u.UserCount))
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

func (s *Server) getUnit(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u, err := s.org.Unit(c.Request.Context(), scope(c), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toUnitJSON(u, 0))
	return nil
}

type createUnitRequest struct {
	ParentID int64  `json:"parent_id" binding:"required"`
	Name     string `json:"name" binding:"required,max=100"`
	Code     string `json:"code" binding:"required,max=32"`
}

func (s *Server) createUnit(c *gin.Context) error {
	var req createUnitRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	sc := scope(c)
	u, err := s.org.CreateUnit(c.Request.Context(), &sc, org.UnitInput{ParentID: &req.ParentID, Name: req.Name, Code: req.Code})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, toUnitJSON(u, 0))
	return nil
}

type updateUnitRequest struct {
	Name *string `json:"name" binding:"omitempty,max=100"`
	Code *string `json:"code" binding:"omitempty,max=32"`
}

func (s *Server) updateUnit(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req updateUnitRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	u, err := s.org.UpdateUnit(c.Request.Context(), scope(c), id, org.UnitPatch{Name: req.Name, Code: req.Code})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toUnitJSON(u, 0))
	return nil
}

func (s *Server) deleteUnit(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.org.DeleteUnit(c.Request.Context(), scope(c), id); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
