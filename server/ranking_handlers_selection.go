package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillarena/scoring"
)

// Selection (issue 5, item 8): the stage's advancement rule applied to its
// latest published version, adjusted by hand with reasons, confirmed; the
// next stage's candidate pool.

type selectionRowJSON struct {
	Contestant  scoring.RankingRef  `json:"contestant"`
	Team        *scoring.RankingRef `json:"team"`
	Unit        scoring.RankingRef  `json:"unit"`
	Place       int                 `json:"place"`
	PlaceInUnit int                 `json:"place_in_unit"`
	Total       string              `json:"total"`
	Selected    bool                `json:"selected"`
	ByHand      bool                `json:"by_hand"`
	Reason      string              `json:"reason"`
}

type selectionJSON struct {
	StageID     int64                 `json:"stage_id"`
	Rule        scoring.SelectionRule `json:"rule"`
	Version     int                   `json:"version"`
	Selected    int                   `json:"selected"`
	UpdatedAt   time.Time             `json:"updated_at"`
	ConfirmedAt *time.Time            `json:"confirmed_at"`
	Items       []selectionRowJSON    `json:"items"`
}

func toSelectionRows(rows []scoring.SelectionRow) []selectionRowJSON {
	out := make([]selectionRowJSON, len(rows))
	for i, r := range rows {
		out[i] = selectionRowJSON(r)
	}
	return out
}

func toSelectionJSON(v scoring.SelectionView) selectionJSON {
	out := selectionJSON{StageID: v.StageID, Rule: v.Rule, Version: v.Version, UpdatedAt: v.UpdatedAt, ConfirmedAt: v.ConfirmedAt,
		Items: toSelectionRows(v.Rows)}
	for _, r := range v.Rows {
		if r.Selected {
			out.Selected++
		}
	}
	return out
}

func (s *Server) getSelection(c *gin.Context) error {
	a, err := s.stageAccess(c)
	if err != nil {
		return err
	}
	v, err := s.scoring.SelectionOf(c.Request.Context(), a)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toSelectionJSON(v))
	return nil
}

type selectionChoiceJSON struct {
	UserID   int64  `json:"user_id" binding:"required"`
	Selected bool   `json:"selected"`
	Reason   string `json:"reason" binding:"max=500"`
}

type proposeSelectionRequest struct {
	Rule    scoring.SelectionRule `json:"rule"`
	Choices []selectionChoiceJSON `json:"choices" binding:"max=10000,dive"`
}

func (s *Server) proposeSelection(c *gin.Context) error {
	var req proposeSelectionRequest
	a, err := bindFor(c, s.stageAccess, &req)
	if err != nil {
		return err
	}
	choices := make([]scoring.SelectionChoice, len(req.Choices))
	for i, ch := range req.Choices {
		choices[i] = scoring.SelectionChoice(ch)
	}
	v, err := s.scoring.ProposeSelection(c.Request.Context(), a, req.Rule, choices)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toSelectionJSON(v))
	return nil
}

func (s *Server) confirmSelection(c *gin.Context) error {
	a, err := s.stageAccess(c)
	if err != nil {
		return err
	}
	v, err := s.scoring.ConfirmSelection(c.Request.Context(), a)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toSelectionJSON(v))
	return nil
}

func (s *Server) candidatePool(c *gin.Context) error {
	a, err := s.stageAccess(c)
	if err != nil {
		return err
	}
	rows, err := s.scoring.CandidatePool(c.Request.Context(), a)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, newList(toSelectionRows(rows), int64(len(rows))))
	return nil
}
