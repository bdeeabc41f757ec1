package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillarena/scoring"
)

// Appeals (issue 5, item 7): contestants appeal their own published result;
// the stage's organisers assign a re-mark and record the outcome.

type appealJSON struct {
	ID            int64                  `json:"id"`
	StageID       int64                  `json:"stage_id"`
	StageName     string                 `json:"stage_name"`
	Contestant    appealUserJSON         `json:"contestant"`
	Version       int                    `json:"version"`
	Reason        string                 `json:"reason"`
	Status        scoring.AppealStatus   `json:"status"`
	Assignee      *appealUserJSON        `json:"assignee"`
	AssignNote    string                 `json:"assign_note"`
	AssignedAt    *time.Time             `json:"assigned_at"`
	Outcome       *scoring.AppealOutcome `json:"outcome"`
	OutcomeNote   string                 `json:"outcome_note"`
	ResolvedAt    *time.Time             `json:"resolved_at"`
	ResultVersion *int                   `json:"result_version"`
	CreatedAt     time.Time              `json:"created_at"`
}

type appealUserJSON struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
}

func toAppealJSON(d scoring.AppealDetail) appealJSON {
	out := appealJSON{ID: d.ID, StageID: d.StageID, StageName: d.StageName, Contestant: appealUserJSON{ID: d.UserID, Username: d.Username, Name: d.Name},
		Version: d.Version, Reason: d.Reason, Status: d.Status, AssignNote: d.AssignNote, AssignedAt: d.AssignedAt, Outcome: d.Outcome,
		OutcomeNote: d.OutcomeNote, ResolvedAt: d.ResolvedAt, ResultVersion: d.ResultVersion, CreatedAt: d.CreatedAt}
	if d.AssigneeID != nil {
		a := appealUserJSON{ID: *d.AssigneeID}
		if d.AssigneeName != nil {
			a.Name = *d.AssigneeName
		}
		if d.AssigneeHandle != nil {
			a.Username = *d.AssigneeHandle
		}
		out.Assignee = &a
	}
	return out
}

func toAppealList(ds []scoring.AppealDetail) list[appealJSON] {
	out := make([]appealJSON, len(ds))
	for i, d := range ds {
		out[i] = toAppealJSON(d)
	}
	return newList(out, int64(len(out)))
}

type fileAppealRequest struct {
	Reason string `json:"reason" binding:"required,max=2000"`
}

// fileAppeal files the calling contestant's appeal against their own result
// in the stage's latest published version.
func (s *Server) fileAppeal(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req fileAppealRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request.Context()
	ap, err := s.scoring.FileAppeal(ctx, user(c).ID, id, req.Reason)
	if err != nil {
		return err
	}
	mine, err := s.scoring.MyAppeals(ctx, user(c).ID)
	if err != nil {
		return err
	}
	for _, d := range mine {
		if d.ID == ap.ID {
			c.JSON(http.StatusCreated, toAppealJSON(d))
			return nil
		}
	}
	c.Status(http.StatusCreated)
	return nil
}

func (s *Server) listStageAppeals(c *gin.Context) error {
	a, err := s.stageAccess(c)
	if err != nil {
		return err
	}
	ds, err := s.scoring.Appeals(c.Request.Context(), a)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toAppealList(ds))
	return nil
}

func (s *Server) myAppeals(c *gin.Context) error {
	ds, err := s.scoring.MyAppeals(c.Request.Context(), user(c).ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toAppealList(ds))
	return nil
}

func (s *Server) getAppeal(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.scoring.AppealByID(c.Request.Context(), scope(c), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toAppealJSON(d))
	return nil
}

type assignAppealRequest struct {
	AssigneeID int64  `json:"assignee_id" binding:"required"`
	Note       string `json:"note" binding:"max=1000"`
}

func (s *Server) assignAppeal(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req assignAppealRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	d, err := s.scoring.AssignAppeal(c.Request.Context(), scope(c), id, req.AssigneeID, req.Note)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toAppealJSON(d))
	return nil
}

type resolveAppealRequest struct {
	Outcome scoring.AppealOutcome `json:"outcome" binding:"required"`
	Note    string                `json:"note" binding:"required,max=1000"`
}

func (s *Server) resolveAppeal(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req resolveAppealRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	d, err := s.scoring.ResolveAppeal(c.Request.Context(), scope(c), id, req.Outcome, req.Note)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toAppealJSON(d))
	return nil
}
