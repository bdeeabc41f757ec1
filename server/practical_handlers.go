package server

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillarena"
	"skillarena/org"
	"skillarena/scoring"
)

// The practical round: the stage organiser sets up tasks with rubrics,
// stations, their judges (one of them the chief judge) and contestants;
// judges mark on a tablet the contestants of their stations (never one of
// their own line of units), blind to the other judges until they sign off;
// the chief judge of a station (or the stage organiser) resolves the
// discrepancies of its contestants and corrects signed-off marks with a
// reason (the chief only). The scoring service checks
// every record-level rule.

// organiserScope is the caller's organiser scope, whatever the route: routes
// open to judges and organisers alike must not treat a province judge as
// the stage organiser.
func (s *Server) organiserScope(c *gin.Context) org.Scope {
	return s.scopeFor(c, "/api/v1/stages/:id/tasks", http.MethodPost)
}

type practicalCriterionJSON struct {
	ID        int64                 `json:"id"`
	Name      string                `json:"name"`
	Kind      scoring.CriterionKind `json:"kind"`
	MaxPoints skillarena.Points     `json:"max_points"`
	Scale     []skillarena.Points   `json:"scale"`
}

type practicalTaskJSON struct {
	ID          int64                    `json:"id"`
	StageID     int64                    `json:"stage_id"`
	Name        string                   `json:"name"`
	Description string                   `json:"description"`
	MaxTotal    skillarena.Points        `json:"max_total"`
	Criteria    []practicalCriterionJSON `json:"criteria"`
	CreatedAt   time.Time                `json:"created_at"`
}

func toPracticalTaskJSON(t scoring.Task) practicalTaskJSON {
	out := practicalTaskJSON{ID: t.ID, StageID: t.StageID, Name: t.Name, Description: t.Description, MaxTotal: t.MaxTotal(),
		Criteria: []practicalCriterionJSON{}, CreatedAt: t.CreatedAt}
	for _, c := range t.Criteria() {
		scale := c.Scale
		if scale == nil {
			scale = []skillarena.Points{}
		}
		out.Criteria = append(out.Criteria, practicalCriterionJSON{ID: c.ID, Name: c.Name, Kind: c.Kind, MaxPoints: c.MaxPoints, Scale: scale})
	}
	return out
}

func (s *Server) listPracticalTasks(c *gin.Context) error {
	a, err := s.stageAccess(c)
	if err != nil {
		return err
	}
	ts, err := s.scoring.Tasks(c.Request.Context(), a)
	if err != nil {
		return err
	}
	out := make([]practicalTaskJSON, len(ts))
	for i, t := range ts {
		out[i] = toPracticalTaskJSON(t)
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

type practicalCriterionRequest struct {
	Name      string                `json:"name" binding:"required,max=200"`
	Kind      scoring.CriterionKind `json:"kind" binding:"required"`
	MaxPoints string                `json:"max_points" binding:"required"`
	Scale     []string              `json:"scale" binding:"max=21"`
}

type practicalTaskRequest struct {
	Name        string                      `json:"name" binding:"required,max=200"`
	Description string                      `json:"description" binding:"max=4000"`
	Criteria    []practicalCriterionRequest `json:"criteria" binding:"required,min=1,max=50,dive"`
}

// input reads the decimal strings, naming the field that is not one.
func (r practicalTaskRequest) input() (scoring.TaskInput, error) {
	in := scoring.TaskInput{Name: r.Name, Description: r.Description}
	f := map[string]string{}
	for i, c := range r.Criteria {
		key := fmt.Sprintf("criteria[%d]", i)
		max, err := skillarena.ParsePoints(c.MaxPoints)
		if err != nil {
			f[key+".max_points"] = "practical.points_format"
		}
		ci := scoring.CriterionInput{Name: c.Name, Kind: c.Kind, MaxPoints: max}
		for _, v := range c.Scale {
			p, err := skillarena.ParsePoints(v)
			if err != nil {
				f[key+".scale"] = "practical.points_format"
			}
			ci.Scale = append(ci.Scale, p)
		}
		in.Criteria = append(in.Criteria, ci)
	}
	if len(f) > 0 {
		return in, skillarena.Invalid(f)
	}
	return in, nil
}

func (s *Server) createPracticalTask(c *gin.Context) error {
	var req practicalTaskRequest
	a, err := bindFor(c, s.stageAccess, &req)
	if err != nil {
		return err
	}
	in, err := req.input()
	if err != nil {
		return err
	}
	t, err := s.scoring.CreateTask(c.Request.Context(), a, in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, toPracticalTaskJSON(t))
	return nil
}

type practicalPersonJSON struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
}

type practicalStationJudgeJSON struct {
	practicalPersonJSON
	Chief bool `json:"chief"`
}

type practicalStationJSON struct {
	ID          int64                       `json:"id"`
	StageID     int64                       `json:"stage_id"`
	TaskID      int64                       `json:"task_id"`
	TaskName    string                      `json:"task_name"`
	Name        string                      `json:"name"`
	Judges      []practicalStationJudgeJSON `json:"judges"`
	Contestants []practicalPersonJSON       `json:"contestants"`
}

func toPracticalStationJSON(d scoring.StationDetail) practicalStationJSON {
	out := practicalStationJSON{ID: d.ID, StageID: d.StageID, TaskID: d.TaskID, TaskName: d.TaskName, Name: d.Name,
		Judges: []practicalStationJudgeJSON{}, Contestants: []practicalPersonJSON{}}
	for _, j := range d.Judges {
		out.Judges = append(out.Judges, practicalStationJudgeJSON{practicalPersonJSON{j.UserID, j.Username, j.Name}, j.Chief})
	}
	for _, m := range d.Contestants {
		out.Contestants = append(out.Contestants, practicalPersonJSON{m.UserID, m.Username, m.Name})
	}
	return out
}

func (s *Server) listPracticalStations(c *gin.Context) error {
	a, err := s.stageAccess(c)
	if err != nil {
		return err
	}
	if !a.Organiser {
		return skillarena.NewError(skillarena.EFORBIDDEN, "scoring.stage_organiser_only", nil)
	}
	ds, err := s.scoring.Stations(c.Request.Context(), a)
	if err != nil {
		return err
	}
	out := make([]practicalStationJSON, len(ds))
	for i, d := range ds {
		out[i] = toPracticalStationJSON(d)
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

type practicalStationRequest struct {
	Name   string `json:"name" binding:"required,max=200"`
	TaskID int64  `json:"task_id" binding:"required"`
}

func (s *Server) createPracticalStation(c *gin.Context) error {
	var req practicalStationRequest
	a, err := bindFor(c, s.stageAccess, &req)
	if err != nil {
		return err
	}
	st, err := s.scoring.CreateStation(c.Request.Context(), a, scoring.StationInput{Name: req.Name, TaskID: req.TaskID})
	if err != nil {
		return err
	}
	return s.renderStation(c, a, st.ID, http.StatusCreated)
}

// renderStation answers one station of the stage with its panel.
func (s *Server) renderStation(c *gin.Context, a scoring.StageAccess, stationID int64, status int) error {
	ds, err := s.scoring.Stations(c.Request.Context(), a)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.ID == stationID {
			c.JSON(status, toPracticalStationJSON(d))
			return nil
		}
	}
	return skillarena.NotFound("station")
}

type practicalJudgesRequest struct {
	JudgeIDs []int64 `json:"judge_ids" binding:"required,max=50"`
	ChiefID  *int64  `json:"chief_id"`
}

func (s *Server) setPracticalJudges(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req practicalJudgesRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request.Context()
	if err := s.scoring.SetStationJudges(ctx, scope(c), id, req.JudgeIDs, req.ChiefID); err != nil {
		return err
	}
	return s.renderStationByID(c, id)
}

func (s *Server) renderStationByID(c *gin.Context, stationID int64) error {
	stageID, err := s.scoring.StationStage(c.Request.Context(), stationID)
	if err != nil {
		return err
	}
	a, err := s.scoring.Access(c.Request.Context(), scope(c), stageID)
	if err != nil {
		return err
	}
	return s.renderStation(c, a, stationID, http.StatusOK)
}

type practicalContestantsRequest struct {
	UserIDs []int64 `json:"user_ids" binding:"required,max=500"`
}

func (s *Server) setPracticalContestants(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req practicalContestantsRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if err := s.scoring.SetStationContestants(c.Request.Context(), scope(c), id, req.UserIDs); err != nil {
		return err
	}
	return s.renderStationByID(c, id)
}

type practicalContestantJSON struct {
	ID       int64   `json:"id"`
	Username string  `json:"username"`
	Name     string  `json:"name"`
	Team     *idName `json:"team"`
}

type idName struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func toPracticalContestantJSON(c scoring.Contestant) practicalContestantJSON {
	out := practicalContestantJSON{ID: c.UserID, Username: c.Username, Name: c.Name}
	if c.TeamID != 0 {
		out.Team = &idName{ID: c.TeamID, Name: c.TeamName}
	}
	return out
}

type judgingContestantJSON struct {
	practicalContestantJSON
	Marked    int  `json:"marked"`
	SignedOff bool `json:"signed_off"`
}

type judgingStationJSON struct {
	ID          int64                   `json:"id"`
	Name        string                  `json:"name"`
	StageID     int64                   `json:"stage_id"`
	StageName   string                  `json:"stage_name"`
	Chief       bool                    `json:"chief"`
	Task        practicalTaskJSON       `json:"task"`
	Contestants []judgingContestantJSON `json:"contestants"`
}

func (s *Server) judging(c *gin.Context) error {
	sts, err := s.scoring.Judging(c.Request.Context(), user(c).ID)
	if err != nil {
		return err
	}
	out := make([]judgingStationJSON, len(sts))
	for i, st := range sts {
		j := judgingStationJSON{ID: st.ID, Name: st.Name, StageID: st.StageID, StageName: st.StageName, Chief: st.Chief,
			Task: toPracticalTaskJSON(st.Task), Contestants: []judgingContestantJSON{}}
		for _, jc := range st.Contestants {
			j.Contestants = append(j.Contestants, judgingContestantJSON{toPracticalContestantJSON(jc.Contestant), jc.Marked, jc.SignedOff})
		}
		out[i] = j
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

type practicalMarkJSON struct {
	ID          int64             `json:"id"`
	CriterionID int64             `json:"criterion_id"`
	Points      skillarena.Points `json:"points"`
	Comment     string            `json:"comment"`
	UpdatedAt   time.Time         `json:"updated_at"`
}

func toPracticalMarks(ms []scoring.Mark) []practicalMarkJSON {
	out := make([]practicalMarkJSON, len(ms))
	for i, m := range ms {
		out[i] = practicalMarkJSON{ID: m.ID, CriterionID: m.CriterionID, Points: m.Points, Comment: m.Comment, UpdatedAt: m.UpdatedAt}
	}
	return out
}

type practicalJudgeMarksJSON struct {
	Judge practicalPersonJSON `json:"judge"`
	Total skillarena.Points   `json:"total"`
	Marks []practicalMarkJSON `json:"marks"`
}

func toPracticalJudgeMarks(js []scoring.JudgeMarks) []practicalJudgeMarksJSON {
	out := make([]practicalJudgeMarksJSON, len(js))
	for i, j := range js {
		out[i] = practicalJudgeMarksJSON{Judge: practicalPersonJSON{j.JudgeID, j.Username, j.Name}, Total: j.Total, Marks: toPracticalMarks(j.Marks)}
	}
	return out
}

type judgeSheetJSON struct {
	StageID     int64                     `json:"stage_id"`
	StageName   string                    `json:"stage_name"`
	Station     idName                    `json:"station"`
	Task        practicalTaskJSON         `json:"task"`
	Contestant  practicalContestantJSON   `json:"contestant"`
	Marks       []practicalMarkJSON       `json:"marks"`
	Total       skillarena.Points         `json:"total"`
	SignedOffAt *time.Time                `json:"signed_off_at"`
	Others      []practicalJudgeMarksJSON `json:"others"`
	// RemarkReason is why the judge was sent back to re-mark; null otherwise.
	RemarkReason *string `json:"remark_reason"`
}

func toJudgeSheetJSON(sh scoring.JudgeSheet) judgeSheetJSON {
	out := judgeSheetJSON{StageID: sh.StageID, StageName: sh.StageName, Station: idName{sh.Station.ID, sh.Station.Name},
		Task: toPracticalTaskJSON(sh.Task), Contestant: toPracticalContestantJSON(sh.Contestant), Marks: toPracticalMarks(sh.Marks),
		Total: sh.Total, SignedOffAt: sh.SignedOffAt, Others: toPracticalJudgeMarks(sh.Others)}
	if sh.RemarkReason != "" {
		out.RemarkReason = &sh.RemarkReason
	}
	return out
}

// stageAndContestant reads the :id and :user_id path parameters.
func stageAndContestant(c *gin.Context) (int64, int64, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return 0, 0, err
	}
	uid, err := pathID(c, "user_id")
	return id, uid, err
}

func (s *Server) judgeSheet(c *gin.Context) error {
	id, uid, err := stageAndContestant(c)
	if err != nil {
		return err
	}
	sh, err := s.scoring.JudgeSheet(c.Request.Context(), user(c).ID, id, uid)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toJudgeSheetJSON(sh))
	return nil
}

type practicalMarkRequest struct {
	CriterionID int64  `json:"criterion_id" binding:"required"`
	Points      string `json:"points" binding:"required"`
	Comment     string `json:"comment" binding:"max=2000"`
}

type practicalMarksRequest struct {
	Marks []practicalMarkRequest `json:"marks" binding:"required,min=1,max=50,dive"`
}

func (s *Server) saveMarks(c *gin.Context) error {
	id, uid, err := stageAndContestant(c)
	if err != nil {
		return err
	}
	var req practicalMarksRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	in := make([]scoring.MarkInput, len(req.Marks))
	f := map[string]string{}
	for i, m := range req.Marks {
		p, err := skillarena.ParsePoints(m.Points)
		if err != nil {
			f[fmt.Sprintf("marks[%d].points", i)] = "practical.points_format"
		}
		in[i] = scoring.MarkInput{CriterionID: m.CriterionID, Points: p, Comment: m.Comment}
	}
	if len(f) > 0 {
		return skillarena.Invalid(f)
	}
	sh, err := s.scoring.SaveMarks(c.Request.Context(), user(c).ID, id, uid, in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toJudgeSheetJSON(sh))
	return nil
}

func (s *Server) signOff(c *gin.Context) error {
	id, uid, err := stageAndContestant(c)
	if err != nil {
		return err
	}
	sh, err := s.scoring.SignOff(c.Request.Context(), user(c).ID, id, uid)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toJudgeSheetJSON(sh))
	return nil
}

type practicalDiscrepancyJSON struct {
	Contestant practicalContestantJSON   `json:"contestant"`
	Station    idName                    `json:"station"`
	Criteria   []practicalCriterionJSON  `json:"criteria"`
	Judges     []practicalJudgeMarksJSON `json:"judges"`
	Spread     skillarena.Points         `json:"spread"`
	Threshold  skillarena.Points         `json:"threshold"`
}

func (s *Server) listDiscrepancies(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ds, err := s.scoring.Discrepancies(c.Request.Context(), s.organiserScope(c), id)
	if err != nil {
		return err
	}
	out := make([]practicalDiscrepancyJSON, len(ds))
	for i, d := range ds {
		out[i] = practicalDiscrepancyJSON{Contestant: toPracticalContestantJSON(d.Contestant), Station: idName{d.Station.ID, d.Station.Name},
			Criteria: toPracticalTaskJSON(d.Task).Criteria, Judges: toPracticalJudgeMarks(d.Judges), Spread: d.Spread, Threshold: d.Threshold}
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

type practicalResolveRequest struct {
	Action  scoring.ResolveAction `json:"action" binding:"required"`
	Note    string                `json:"note" binding:"required,max=2000"`
	JudgeID int64                 `json:"judge_id"`
}

func (s *Server) resolveDiscrepancy(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	uid, err := pathID(c, "contestant_id")
	if err != nil {
		return err
	}
	var req practicalResolveRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request.Context()
	if err := s.scoring.Resolve(ctx, s.organiserScope(c), id, uid, scoring.Resolution{Action: req.Action, Note: req.Note, JudgeID: req.JudgeID}); err != nil {
		return err
	}
	rs, err := s.scoring.PracticalResults(ctx, s.organiserScope(c), id, uid)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toPracticalResultJSON(rs[0]))
	return nil
}

type practicalCorrectRequest struct {
	Points string `json:"points" binding:"required"`
	Reason string `json:"reason" binding:"required,max=2000"`
}

func (s *Server) correctMark(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	markID, err := pathID(c, "mark_id")
	if err != nil {
		return err
	}
	var req practicalCorrectRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	p, err := skillarena.ParsePoints(req.Points)
	if err != nil {
		return skillarena.Invalid(map[string]string{"points": "practical.points_format"})
	}
	m, err := s.scoring.CorrectMark(c.Request.Context(), id, markID, p, req.Reason)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, practicalMarkJSON{ID: m.ID, CriterionID: m.CriterionID, Points: m.Points, Comment: m.Comment, UpdatedAt: m.UpdatedAt})
	return nil
}

type practicalJudgeTotalJSON struct {
	JudgeID   int64              `json:"judge_id"`
	Total     *skillarena.Points `json:"total"`
	SignedOff bool               `json:"signed_off"`
}

type practicalResultJSON struct {
	Contestant  practicalContestantJSON   `json:"contestant"`
	Station     *idName                   `json:"station"`
	Score       *skillarena.Points        `json:"score"`
	Exact       *string                   `json:"exact"`
	Complete    bool                      `json:"complete"`
	Discrepancy bool                      `json:"discrepancy"`
	Totals      []practicalJudgeTotalJSON `json:"totals"`
	Judges      []practicalJudgeMarksJSON `json:"judges"`
	Pending     []practicalPersonJSON     `json:"pending"`
}

func toPracticalResultJSON(r scoring.PracticalResult) practicalResultJSON {
	out := practicalResultJSON{Contestant: toPracticalContestantJSON(r.Contestant), Complete: r.Score.Complete,
		Discrepancy: r.Score.Discrepancy, Totals: []practicalJudgeTotalJSON{}, Judges: toPracticalJudgeMarks(r.Judges), Pending: []practicalPersonJSON{}}
	if r.Station.ID != 0 {
		out.Station = &idName{r.Station.ID, r.Station.Name}
	}
	if r.Score.Exact != nil {
		p, exact := r.Score.Points, r.Score.Exact.RatString()
		out.Score, out.Exact = &p, &exact
	}
	for _, jt := range r.Score.Judges {
		t := practicalJudgeTotalJSON{JudgeID: jt.JudgeID, SignedOff: jt.SignedOff}
		if jt.SignedOff {
			total := jt.Total
			t.Total = &total
		}
		out.Totals = append(out.Totals, t)
	}
	for _, m := range r.Pending {
		out.Pending = append(out.Pending, practicalPersonJSON{m.UserID, m.Username, m.Name})
	}
	return out
}

func (s *Server) listPracticalResults(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	rs, err := s.scoring.PracticalResults(c.Request.Context(), s.organiserScope(c), id, 0)
	if err != nil {
		return err
	}
	out := make([]practicalResultJSON, len(rs))
	for i, r := range rs {
		out[i] = toPracticalResultJSON(r)
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

func (s *Server) getPracticalResult(c *gin.Context) error {
	id, uid, err := stageAndContestant(c)
	if err != nil {
		return err
	}
	rs, err := s.scoring.PracticalResults(c.Request.Context(), s.organiserScope(c), id, uid)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toPracticalResultJSON(rs[0]))
	return nil
}
