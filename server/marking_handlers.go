package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"skillarena"
	"skillarena/content"
	"skillarena/exam"
)

// Marking: organisers assign judges to an exam, follow its marking and
// correct keys; judges mark blind (answers under opaque refs, never a name)
// only in the exams they are assigned to, which the exam service checks.

type markerJSON struct {
	UserID     int64           `json:"user_id"`
	Username   string          `json:"username"`
	Name       string          `json:"name"`
	Role       exam.MarkerRole `json:"role"`
	AssignedAt time.Time       `json:"assigned_at"`
}

func toMarkerJSON(m exam.MarkerDetail) markerJSON {
	return markerJSON{UserID: m.UserID, Username: m.Username, Name: m.Name, Role: m.Role, AssignedAt: m.CreatedAt}
}

func (s *Server) listMarkers(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ms, err := s.exam.Markers(c.Request.Context(), scope(c), id)
	if err != nil {
		return err
	}
	out := make([]markerJSON, len(ms))
	for i, m := range ms {
		out[i] = toMarkerJSON(m)
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

type assignMarkerRequest struct {
	UserID int64           `json:"user_id" binding:"required"`
	Role   exam.MarkerRole `json:"role" binding:"required"`
}

func (s *Server) assignMarker(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req assignMarkerRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	m, created, err := s.exam.AssignMarker(c.Request.Context(), scope(c), id, req.UserID, req.Role)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	c.JSON(status, toMarkerJSON(m))
	return nil
}

func (s *Server) unassignMarker(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	userID, err := pathID(c, "user_id")
	if err != nil {
		return err
	}
	if err := s.exam.UnassignMarker(c.Request.Context(), scope(c), id, userID); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

type markingQuestionJSON struct {
	QuestionID   int64                `json:"question_id"`
	VersionID    int64                `json:"version_id"`
	Type         content.QuestionType `json:"type"`
	Stem         string               `json:"stem"`
	Points       skillarena.Points    `json:"points"`
	Total        int                  `json:"total"`
	Open         int                  `json:"open"`
	Adjudication int                  `json:"adjudication"`
	Final        int                  `json:"final"`
}

type markingProgressJSON struct {
	ExamID            int64                 `json:"exam_id"`
	MarkingThreshold  skillarena.Points     `json:"marking_threshold"`
	AttemptsSubmitted int                   `json:"attempts_submitted"`
	AttemptsFinal     int                   `json:"attempts_final"`
	Questions         []markingQuestionJSON `json:"questions"`
}

func (s *Server) markingProgress(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := s.exam.Progress(c.Request.Context(), scope(c), id)
	if err != nil {
		return err
	}
	out := markingProgressJSON{ExamID: p.ExamID, MarkingThreshold: p.MarkingThreshold, AttemptsSubmitted: p.AttemptsSubmitted,
		AttemptsFinal: p.AttemptsFinal, Questions: make([]markingQuestionJSON, len(p.Questions))}
	for i, q := range p.Questions {
		out.Questions[i] = markingQuestionJSON(q)
	}
	c.JSON(http.StatusOK, out)
	return nil
}

type regradeRequest struct {
	QuestionID int64        `json:"question_id" binding:"required"`
	VersionID  int64        `json:"version_id"`
	Key        *content.Key `json:"key"`
	Reason     string       `json:"reason" binding:"required,max=500"`
}

type regradeJSON struct {
	Regraded int `json:"regraded"`
	Changed  int `json:"changed"`
}

func (s *Server) regradeExam(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req regradeRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	res, err := s.exam.CorrectKey(c.Request.Context(), scope(c), id, exam.KeyCorrectionInput{QuestionID: req.QuestionID,
		VersionID: req.VersionID, Key: req.Key, Reason: req.Reason})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, regradeJSON{Regraded: res.Regraded, Changed: res.Changed})
	return nil
}

type keyCorrectionJSON struct {
	QuestionID int64       `json:"question_id"`
	VersionID  *int64      `json:"version_id"`
	Key        content.Key `json:"key"`
	Reason     string      `json:"reason"`
	CreatedBy  int64       `json:"created_by"`
	CreatedAt  time.Time   `json:"created_at"`
}

func (s *Server) listKeyCorrections(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	cs, err := s.exam.KeyCorrections(c.Request.Context(), scope(c), id)
	if err != nil {
		return err
	}
	out := make([]keyCorrectionJSON, len(cs))
	for i, k := range cs {
		out[i] = keyCorrectionJSON{QuestionID: k.QuestionID, VersionID: k.VersionID, Key: k.Key(), Reason: k.Reason,
			CreatedBy: k.CreatedBy, CreatedAt: k.UpdatedAt}
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

type queueQuestionJSON struct {
	QuestionID int64                `json:"question_id"`
	VersionID  int64                `json:"version_id"`
	Type       content.QuestionType `json:"type"`
	Stem       string               `json:"stem"`
	Points     skillarena.Points    `json:"points"`
	Total      int                  `json:"total"`
	ToMark     int                  `json:"to_mark"`
	MarkedByMe int                  `json:"marked_by_me"`
	Final      int                  `json:"final"`
}

type queueExamJSON struct {
	ExamID           int64               `json:"exam_id"`
	ExamTitle        string              `json:"exam_title"`
	Role             exam.MarkerRole     `json:"role"`
	MarkingThreshold skillarena.Points   `json:"marking_threshold"`
	Questions        []queueQuestionJSON `json:"questions"`
	Adjudications    int                 `json:"adjudications"`
}

func (s *Server) markingQueue(c *gin.Context) error {
	q, err := s.exam.Queue(c.Request.Context(), user(c).ID)
	if err != nil {
		return err
	}
	out := make([]queueExamJSON, len(q))
	for i, e := range q {
		out[i] = queueExamJSON{ExamID: e.ExamID, ExamTitle: e.ExamTitle, Role: e.Role, MarkingThreshold: e.MarkingThreshold,
			Questions: make([]queueQuestionJSON, len(e.Questions)), Adjudications: e.Adjudications}
		for j, qq := range e.Questions {
			out[i].Questions[j] = queueQuestionJSON(qq)
		}
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

type markJSON struct {
	Points   skillarena.Points `json:"points"`
	Comment  string            `json:"comment"`
	MarkedAt time.Time         `json:"marked_at"`
}

type versionGuideJSON struct {
	VersionID       int64  `json:"version_id"`
	Stem            string `json:"stem"`
	ReferenceAnswer string `json:"reference_answer"`
	Rubric          string `json:"rubric"`
}

// blindAnswerJSON is an answer as a judge sees it. It has no field that
// leads to the contestant: no user, name or attempt, only the opaque ref.
type blindAnswerJSON struct {
	ID        string            `json:"id"`
	VersionID int64             `json:"version_id"`
	Points    skillarena.Points `json:"points"`
	Response  *string           `json:"response"`
	MyMark    *markJSON         `json:"my_mark"`
}

type answersPageJSON struct {
	Question struct {
		QuestionID int64                `json:"question_id"`
		Type       content.QuestionType `json:"type"`
		Versions   []versionGuideJSON   `json:"versions"`
	} `json:"question"`
	Items []blindAnswerJSON `json:"items"`
	Total int64             `json:"total"`
}

func (s *Server) answersToMark(c *gin.Context) error {
	examID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	questionID, err := pathID(c, "question_id")
	if err != nil {
		return err
	}
	f := exam.AnswerFilter{}
	if f.VersionID, err = queryID(c, "version_id"); err != nil {
		return err
	}
	switch c.Query("status") {
	case "", "pending":
	case "marked":
		f.Marked = true
	default:
		return skillarena.Invalid(map[string]string{"status": "marking.status_filter"})
	}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			return skillarena.Invalid(map[string]string{"limit": "marking.limit_range"})
		}
		f.Limit = n
	}
	p, err := s.exam.AnswersToMark(c.Request.Context(), user(c).ID, examID, questionID, f)
	if err != nil {
		return err
	}
	var out answersPageJSON
	out.Question.QuestionID, out.Question.Type, out.Total = p.QuestionID, p.Type, p.Total
	out.Question.Versions = make([]versionGuideJSON, len(p.Versions))
	for i, v := range p.Versions {
		out.Question.Versions[i] = versionGuideJSON{VersionID: v.VersionID, Stem: v.Stem, ReferenceAnswer: v.ReferenceAnswer, Rubric: v.Rubric}
	}
	out.Items = make([]blindAnswerJSON, len(p.Items))
	for i, it := range p.Items {
		out.Items[i] = blindAnswerJSON{ID: it.Ref, VersionID: it.VersionID, Points: it.Points, Response: it.Response}
		if it.MyMark != nil {
			out.Items[i].MyMark = &markJSON{Points: it.MyMark.Points, Comment: it.MyMark.Comment, MarkedAt: it.MyMark.UpdatedAt}
		}
	}
	c.JSON(http.StatusOK, out)
	return nil
}

type markRequest struct {
	Points  string `json:"points" binding:"required"`
	Comment string `json:"comment" binding:"max=2000"`
}

// input reads the decimal string points ("7.25", at most two places).
func (r markRequest) input() (exam.MarkInput, error) {
	p, err := skillarena.ParsePoints(r.Points)
	if err != nil {
		return exam.MarkInput{}, skillarena.Invalid(map[string]string{"points": "marking.points_format"})
	}
	return exam.MarkInput{Points: p, Comment: r.Comment}, nil
}

// markHolder is a request that holds a mark: a markRequest, alone or embedded.
type markHolder interface {
	input() (exam.MarkInput, error)
}

// bindMark reads a judge's or the chief's mark into req and answers the
// mark it holds.
func bindMark(c *gin.Context, req markHolder) (exam.MarkInput, error) {
	if err := bindJSON(c, req); err != nil {
		return exam.MarkInput{}, err
	}
	return req.input()
}

type markedJSON struct {
	ID       string            `json:"id"`
	Points   skillarena.Points `json:"points"`
	Comment  string            `json:"comment"`
	MarkedAt time.Time         `json:"marked_at"`
}

func (s *Server) markAnswer(c *gin.Context) error {
	var req markRequest
	in, err := bindMark(c, &req)
	if err != nil {
		return err
	}
	ref := c.Param("ref")
	m, err := s.exam.MarkAnswer(c.Request.Context(), user(c).ID, ref, in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, markedJSON{ID: ref, Points: m.Points, Comment: m.Comment, MarkedAt: m.UpdatedAt})
	return nil
}

type judgeJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type adjudicationMarkJSON struct {
	Judge    judgeJSON         `json:"judge"`
	Points   skillarena.Points `json:"points"`
	Comment  string            `json:"comment"`
	MarkedAt time.Time         `json:"marked_at"`
}

type adjudicationJSON struct {
	ID              string                 `json:"id"`
	ExamID          int64                  `json:"exam_id"`
	ExamTitle       string                 `json:"exam_title"`
	QuestionID      int64                  `json:"question_id"`
	VersionID       int64                  `json:"version_id"`
	Type            content.QuestionType   `json:"type"`
	Stem            string                 `json:"stem"`
	ReferenceAnswer string                 `json:"reference_answer"`
	Rubric          string                 `json:"rubric"`
	Points          skillarena.Points      `json:"points"`
	Response        *string                `json:"response"`
	Marks           []adjudicationMarkJSON `json:"marks"`
	Difference      skillarena.Points      `json:"difference"`
	Adjudicated     *adjudicationMarkJSON  `json:"adjudicated"`
	Correctable     bool                   `json:"correctable"`
}

func (s *Server) listAdjudications(c *gin.Context) error {
	examID, err := queryID(c, "exam_id")
	if err != nil {
		return err
	}
	var adjudicated bool
	switch c.Query("status") {
	case "", "pending":
	case "adjudicated":
		adjudicated = true
	default:
		return skillarena.Invalid(map[string]string{"status": "marking.adjudication_status_filter"})
	}
	as, err := s.exam.Adjudications(c.Request.Context(), user(c).ID, examID, adjudicated)
	if err != nil {
		return err
	}
	out := make([]adjudicationJSON, len(as))
	for i, a := range as {
		out[i] = adjudicationJSON{ID: a.Ref, ExamID: a.ExamID, ExamTitle: a.ExamTitle, QuestionID: a.QuestionID, VersionID: a.VersionID,
			Type: a.Type, Stem: a.Stem, ReferenceAnswer: a.ReferenceAnswer, Rubric: a.Rubric, Points: a.Points, Response: a.Response,
			Marks: make([]adjudicationMarkJSON, len(a.Marks)), Difference: a.Difference, Correctable: a.Correctable}
		if m := a.Adjudicated; m != nil {
			out[i].Adjudicated = &adjudicationMarkJSON{Judge: judgeJSON{ID: m.JudgeID, Name: m.JudgeName}, Points: m.Points,
				Comment: m.Comment, MarkedAt: m.UpdatedAt}
		}
		for j, m := range a.Marks {
			out[i].Marks[j] = adjudicationMarkJSON{Judge: judgeJSON{ID: m.JudgeID, Name: m.JudgeName}, Points: m.Points,
				Comment: m.Comment, MarkedAt: m.UpdatedAt}
		}
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

type adjudicatedJSON struct {
	ID            string            `json:"id"`
	Points        skillarena.Points `json:"points"`
	Comment       string            `json:"comment"`
	AdjudicatedAt time.Time         `json:"adjudicated_at"`
	Score         skillarena.Points `json:"score"`
}

// adjudicateRequest is the chief's mark; correcting a mark given already
// needs a reason.
type adjudicateRequest struct {
	markRequest
	Reason string `json:"reason" binding:"max=500"`
}

// adjudicate records the chief's mark of an answer awaiting adjudication,
// or corrects the chief's mark of one adjudicated already (with a reason).
func (s *Server) adjudicate(c *gin.Context) error {
	var req adjudicateRequest
	in, err := bindMark(c, &req)
	if err != nil {
		return err
	}
	ref := c.Param("ref")
	m, err := s.exam.Adjudicate(c.Request.Context(), user(c).ID, ref, in, req.Reason)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, adjudicatedJSON{ID: ref, Points: m.Points, Comment: m.Comment, AdjudicatedAt: m.UpdatedAt, Score: m.Points})
	return nil
}
