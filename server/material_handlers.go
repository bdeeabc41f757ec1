package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillarena/content"
)

type materialJSON struct {
	ID          int64         `json:"id"`
	TopicID     int64         `json:"topic_id"`
	TopicName   string        `json:"topic_name"`
	OrgUnitID   int64         `json:"org_unit_id"`
	OrgUnitName string        `json:"org_unit_name"`
	Title       string        `json:"title"`
	Summary     string        `json:"summary"`
	Editable    bool          `json:"editable"`
	UpdatedAt   time.Time     `json:"updated_at"`
	Sections    []sectionJSON `json:"sections,omitempty"`
}

type sectionJSON struct {
	ID       int64  `json:"id"`
	Position int    `json:"position"`
	Title    string `json:"title"`
	Body     string `json:"body"`
}

func (s *Server) toMaterialJSON(c *gin.Context, m content.MaterialRow) materialJSON {
	return materialJSON{ID: m.ID, TopicID: m.TopicID, TopicName: m.TopicName, OrgUnitID: m.OrgUnitID, OrgUnitName: m.OrgUnitName,
		Title: m.Title, Summary: m.Summary, Editable: s.scopeFor(c, "/api/v1/materials/:id", http.MethodPut).Contains(m.OrgUnitPath),
		UpdatedAt: m.UpdatedAt}
}

func (s *Server) listMaterials(c *gin.Context) error {
	topicID, err := queryID(c, "topic_id")
	if err != nil {
		return err
	}
	ms, err := s.content.ListMaterials(c.Request.Context(), scope(c), topicID)
	if err != nil {
		return err
	}
	out := make([]materialJSON, len(ms))
	for i, m := range ms {
		out[i] = s.toMaterialJSON(c, m)
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

func (s *Server) getMaterial(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	m, err := s.content.Material(c.Request.Context(), scope(c), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.materialDetailJSON(c, m))
	return nil
}

func (s *Server) materialDetailJSON(c *gin.Context, m content.MaterialDetail) materialJSON {
	out := s.toMaterialJSON(c, m.MaterialRow)
	out.Sections = make([]sectionJSON, len(m.Sections))
	for i, sec := range m.Sections {
		out.Sections[i] = sectionJSON{ID: sec.ID, Position: sec.Position, Title: sec.Title, Body: sec.Body}
	}
	return out
}

type sectionRequest struct {
	ID    int64  `json:"id"`
	Title string `json:"title" binding:"required,max=200"`
	Body  string `json:"body"`
}

type materialRequest struct {
	TopicID   int64            `json:"topic_id" binding:"required"`
	OrgUnitID int64            `json:"org_unit_id"`
	Title     string           `json:"title" binding:"required,max=200"`
	Summary   string           `json:"summary" binding:"max=2000"`
	Sections  []sectionRequest `json:"sections" binding:"required,min=1,max=200,dive"`
}

func (r materialRequest) input() content.MaterialInput {
	in := content.MaterialInput{TopicID: r.TopicID, OrgUnitID: r.OrgUnitID, Title: r.Title, Summary: r.Summary}
	for _, sec := range r.Sections {
		in.Sections = append(in.Sections, content.SectionInput{ID: sec.ID, Title: sec.Title, Body: sec.Body})
	}
	return in
}

func (s *Server) createMaterial(c *gin.Context) error {
	var req materialRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	m, err := s.content.SaveMaterial(c.Request.Context(), scope(c), 0, req.input())
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, s.materialDetailJSON(c, m))
	return nil
}

func (s *Server) updateMaterial(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req materialRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	m, err := s.content.SaveMaterial(c.Request.Context(), scope(c), id, req.input())
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.materialDetailJSON(c, m))
	return nil
}
