package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillarena"
	"skillarena/content"
	"skillarena/exam"
)

// deviceCookie names the browser for the one-browser-per-attempt rule. It
// outlives sessions, so signing in again on the same browser keeps the
// attempt; another browser or device has another cookie and is refused until
// an invigilator unlocks the attempt.
const deviceCookie = "skillarena_device"

// examCtx returns the request context carrying the caller's device, setting
// the device cookie on first use.
func (s *Server) examCtx(c *gin.Context) context.Context {
	v, err := c.Cookie(deviceCookie)
	if err != nil || len(v) != 32 {
		b := make([]byte, 16)
		rand.Read(b)
		v = hex.EncodeToString(b)
		http.SetCookie(c.Writer, &http.Cookie{Name: deviceCookie, Value: v, Path: "/api/v1", MaxAge: 90 * 24 * 3600,
			HttpOnly: true, Secure: s.cfg.Session.Secure, SameSite: http.SameSiteLaxMode})
	}
	sum := sha256.Sum256([]byte(v))
	return exam.WithDevice(c.Request.Context(), hex.EncodeToString(sum[:16]))
}

type myExamJSON struct {
	AttemptsUsed  int    `json:"attempts_used"`
	AttemptID     *int64 `json:"attempt_id"`
	LastAttemptID *int64 `json:"last_attempt_id"`
	Status        string `json:"status"`
}

type examJSON struct {
	ID                int64             `json:"id"`
	OrgUnitID         int64             `json:"org_unit_id"`
	Title             string            `json:"title"`
	Instructions      string            `json:"instructions"`
	Kind              exam.Kind         `json:"kind"`
	OpensAt           time.Time         `json:"opens_at"`
	ClosesAt          time.Time         `json:"closes_at"`
	DurationSeconds   int               `json:"duration_seconds"`
	GraceSeconds      int               `json:"grace_seconds"`
	MaxAttempts       int               `json:"max_attempts"`
	ResultsVisibility exam.Visibility   `json:"results_visibility"`
	ItemCount         int               `json:"item_count"`
	TotalPoints       skillarena.Points `json:"total_points"`
	Enrolled          bool              `json:"enrolled"`
	Manageable        bool              `json:"manageable"`
	Startable         bool              `json:"startable"`
	My                myExamJSON        `json:"my"`
}

func toExamJSON(e exam.ExamSummary) examJSON {
	return examJSON{ID: e.ID, OrgUnitID: e.OrgUnitID, Title: e.Title, Instructions: e.Instructions, Kind: e.Kind,
		OpensAt: e.OpensAt, ClosesAt: e.ClosesAt, DurationSeconds: e.DurationSeconds, GraceSeconds: e.GraceSeconds,
		MaxAttempts: e.MaxAttempts, ResultsVisibility: e.ResultsVisibility, ItemCount: e.ItemCount, TotalPoints: e.TotalPoints,
		Enrolled: e.Enrolled, Manageable: e.Manageable, Startable: e.Startable,
		My: myExamJSON{AttemptsUsed: e.AttemptsUsed, AttemptID: e.AttemptID, LastAttemptID: e.LastAttemptID, Status: e.MyStatus}}
}

type examDetailJSON struct {
	examJSON
	BlueprintID      int64             `json:"blueprint_id"`
	BlueprintName    string            `json:"blueprint_name"`
	Sections         []exam.Section    `json:"sections"`
	BankIDs          []int64           `json:"bank_ids"`
	PaperMode        exam.PaperMode    `json:"paper_mode"`
	ShuffleQuestions bool              `json:"shuffle_questions"`
	ShuffleOptions   bool              `json:"shuffle_options"`
	PartialCredit    bool              `json:"partial_credit"`
	MarkingThreshold skillarena.Points `json:"marking_threshold"`
	EnrolledCount    int64             `json:"enrolled_count"`
	PapersReady      int64             `json:"papers_ready"`
}

func toExamDetailJSON(d exam.ExamDetail) examDetailJSON {
	if d.BankIDs == nil {
		d.BankIDs = []int64{}
	}
	return examDetailJSON{examJSON: toExamJSON(d.ExamSummary), BlueprintID: d.BlueprintID, BlueprintName: d.BlueprintName,
		Sections: d.Sections, BankIDs: d.BankIDs, PaperMode: d.PaperMode, ShuffleQuestions: d.ShuffleQuestions,
		ShuffleOptions: d.ShuffleOptions, PartialCredit: d.PartialCredit, MarkingThreshold: d.MarkingThreshold,
		EnrolledCount: d.EnrolledCount, PapersReady: d.PapersReady}
}

// listExams answers the exams the caller is enrolled in and, for organisers
// and invigilators, the exams of their units. ?open=true keeps the ones the
// caller can start or resume now.
func (s *Server) listExams(c *gin.Context) error {
	open := c.Query("open") == "true"
	manage := s.scopeFor(c, "/api/v1/exams/:id/monitor", http.MethodGet)
	es, err := s.exam.ListExams(c.Request.Context(), user(c).ID, manage, open)
	if err != nil {
		return err
	}
	out := make([]examJSON, len(es))
	for i, e := range es {
		out[i] = toExamJSON(e)
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

// examSettingsRequest is what every way of creating an exam asks for.
type examSettingsRequest struct {
	Title            string             `json:"title" binding:"required,max=200"`
	Instructions     string             `json:"instructions" binding:"max=20000"`
	OpensAt          time.Time          `json:"opens_at" binding:"required"`
	ClosesAt         time.Time          `json:"closes_at" binding:"required"`
	DurationMinutes  int                `json:"duration_minutes" binding:"required,min=1,max=1440"`
	GraceSeconds     *int               `json:"grace_seconds" binding:"omitempty,min=0,max=300"`
	BlueprintID      int64              `json:"blueprint_id" binding:"required"`
	BankIDs          []int64            `json:"bank_ids" binding:"required,min=1,max=20"`
	PaperMode        exam.PaperMode     `json:"paper_mode" binding:"omitempty,oneof=fixed drawn"`
	ShuffleQuestions bool               `json:"shuffle_questions"`
	ShuffleOptions   bool               `json:"shuffle_options"`
	PartialCredit    bool               `json:"partial_credit"`
	MarkingThreshold *skillarena.Points `json:"marking_threshold"`
}

func (r examSettingsRequest) input() exam.ExamInput {
	in := exam.ExamInput{Title: r.Title, Instructions: r.Instructions, OpensAt: r.OpensAt, ClosesAt: r.ClosesAt,
		Duration: time.Duration(r.DurationMinutes) * time.Minute, BlueprintID: r.BlueprintID, BankIDs: r.BankIDs,
		PaperMode: r.PaperMode, Shuffle: exam.Shuffle{Questions: r.ShuffleQuestions, Options: r.ShuffleOptions},
		PartialCredit: r.PartialCredit, MarkingThreshold: r.MarkingThreshold}
	if r.GraceSeconds != nil {
		g := time.Duration(*r.GraceSeconds) * time.Second
		in.Grace = &g
	}
	return in
}

// examRequest is an exam's settings as organisers create and edit them.
type examRequest struct {
	examSettingsRequest
	MaxAttempts       int             `json:"max_attempts" binding:"omitempty,min=1,max=100"`
	ResultsVisibility exam.Visibility `json:"results_visibility" binding:"omitempty,oneof=immediately after_close manual"`
}

func (r examRequest) input() exam.ExamInput {
	in := r.examSettingsRequest.input()
	in.MaxAttempts, in.ResultsVisibility = r.MaxAttempts, r.ResultsVisibility
	return in
}

type createExamRequest struct {
	examRequest
	OrgUnitID int64     `json:"org_unit_id" binding:"required"`
	Kind      exam.Kind `json:"kind" binding:"omitempty,oneof=competition mock"`
}

func (s *Server) createExam(c *gin.Context) error {
	var req createExamRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	in := req.input()
	in.OrgUnitID, in.Kind = req.OrgUnitID, req.Kind
	e, err := s.exam.CreateExam(c.Request.Context(), scope(c), in)
	if err != nil {
		return err
	}
	return s.answerExam(c, http.StatusCreated, e.ID)
}

// answerExam answers the exam id as its organisers see it.
func (s *Server) answerExam(c *gin.Context, status int, id int64) error {
	d, err := s.exam.ExamInScope(c.Request.Context(), scope(c), id)
	if err != nil {
		return err
	}
	c.JSON(status, toExamDetailJSON(d))
	return nil
}

// managedExam resolves the :id exam inside the caller's scope for this route.
func (s *Server) managedExam(c *gin.Context) (exam.ExamDetail, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return exam.ExamDetail{}, err
	}
	return s.exam.ExamInScope(c.Request.Context(), scope(c), id)
}

func (s *Server) getExam(c *gin.Context) error {
	d, err := s.managedExam(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toExamDetailJSON(d))
	return nil
}

// updateExam edits an exam: the body holds the settings to change, as
// createExam takes them; the others keep their values.
func (s *Server) updateExam(c *gin.Context) error {
	d, err := s.managedExam(c)
	if err != nil {
		return err
	}
	grace, threshold := d.GraceSeconds, d.MarkingThreshold
	req := examRequest{examSettingsRequest: examSettingsRequest{Title: d.Title, Instructions: d.Instructions, OpensAt: d.OpensAt,
		ClosesAt: d.ClosesAt, DurationMinutes: d.DurationSeconds / 60, GraceSeconds: &grace, BlueprintID: d.BlueprintID,
		BankIDs: d.BankIDs, PaperMode: d.PaperMode, ShuffleQuestions: d.ShuffleQuestions, ShuffleOptions: d.ShuffleOptions,
		PartialCredit: d.PartialCredit, MarkingThreshold: &threshold}, MaxAttempts: d.MaxAttempts, ResultsVisibility: d.ResultsVisibility}
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if _, err := s.exam.UpdateExam(c.Request.Context(), scope(c), d.ID, req.input()); err != nil {
		return err
	}
	return s.answerExam(c, http.StatusOK, d.ID)
}

// deleteExam removes an exam nobody has started.
func (s *Server) deleteExam(c *gin.Context) error {
	d, err := s.managedExam(c)
	if err != nil {
		return err
	}
	if err := s.exam.DeleteExam(c.Request.Context(), scope(c), d.ID); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

type blueprintJSON struct {
	ID        int64          `json:"id"`
	OrgUnitID int64          `json:"org_unit_id"`
	Name      string         `json:"name"`
	Sections  []exam.Section `json:"sections"`
	CreatedAt time.Time      `json:"created_at"`
}

func toBlueprintJSON(b exam.Blueprint) blueprintJSON {
	secs := b.Sections()
	if secs == nil {
		secs = []exam.Section{}
	}
	return blueprintJSON{ID: b.ID, OrgUnitID: b.OrgUnitID, Name: b.Name, Sections: secs, CreatedAt: b.CreatedAt}
}

// listBlueprints lists the caller's units' blueprints or, with
// ?usable_for_unit=, those an exam of that unit may use.
func (s *Server) listBlueprints(c *gin.Context) error {
	unitID, err := queryID(c, "usable_for_unit")
	if err != nil {
		return err
	}
	var bs []exam.Blueprint
	if unitID > 0 {
		bs, err = s.exam.UsableBlueprints(c.Request.Context(), scope(c), unitID)
	} else {
		bs, err = s.exam.ListBlueprints(c.Request.Context(), scope(c))
	}
	if err != nil {
		return err
	}
	out := make([]blueprintJSON, len(bs))
	for i, b := range bs {
		out[i] = toBlueprintJSON(b)
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

// blueprintRequest is a blueprint's name and sections.
type blueprintRequest struct {
	Name     string         `json:"name" binding:"required,max=200"`
	Sections []exam.Section `json:"sections" binding:"required,min=1,max=50"`
}

type createBlueprintRequest struct {
	blueprintRequest
	OrgUnitID int64 `json:"org_unit_id" binding:"required"`
}

func (s *Server) createBlueprint(c *gin.Context) error {
	var req createBlueprintRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	b, err := s.exam.CreateBlueprint(c.Request.Context(), scope(c), exam.BlueprintInput{OrgUnitID: req.OrgUnitID, Name: req.Name, Sections: req.Sections})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, toBlueprintJSON(b))
	return nil
}

// managedBlueprint resolves the :id blueprint inside the caller's scope.
func (s *Server) managedBlueprint(c *gin.Context) (exam.Blueprint, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return exam.Blueprint{}, err
	}
	return s.exam.BlueprintInScope(c.Request.Context(), scope(c), id)
}

func (s *Server) getBlueprint(c *gin.Context) error {
	b, err := s.managedBlueprint(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toBlueprintJSON(b))
	return nil
}

// updateBlueprint edits a blueprint: the body holds the name or the
// sections to change; the other keeps its value.
func (s *Server) updateBlueprint(c *gin.Context) error {
	b, err := s.managedBlueprint(c)
	if err != nil {
		return err
	}
	req := blueprintRequest{Name: b.Name, Sections: b.Sections()}
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	b, err = s.exam.UpdateBlueprint(c.Request.Context(), scope(c), b.ID, exam.BlueprintInput{Name: req.Name, Sections: req.Sections})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toBlueprintJSON(b))
	return nil
}

// deleteBlueprint removes a blueprint no exam uses.
func (s *Server) deleteBlueprint(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.exam.DeleteBlueprint(c.Request.Context(), scope(c), id); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

type enrolleeJSON struct {
	UserID       int64  `json:"user_id"`
	Username     string `json:"username"`
	Name         string `json:"name"`
	OrgUnitName  string `json:"org_unit_name"`
	ExtraSeconds int    `json:"extra_seconds"`
}

func (s *Server) listEnrolments(c *gin.Context) error {
	d, err := s.managedExam(c)
	if err != nil {
		return err
	}
	ens, err := s.exam.Enrolments(c.Request.Context(), d.ID)
	if err != nil {
		return err
	}
	out := make([]enrolleeJSON, len(ens))
	for i, e := range ens {
		out[i] = enrolleeJSON(e)
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

type userIDsRequest struct {
	UserIDs []int64 `json:"user_ids" binding:"required,min=1,max=10000"`
}

func (s *Server) enrol(c *gin.Context) error {
	var req userIDsRequest
	d, err := bindFor(c, s.managedExam, &req)
	if err != nil {
		return err
	}
	if err := s.exam.EnrolInScope(c.Request.Context(), scope(c), d.ID, req.UserIDs); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

func (s *Server) preparePapers(c *gin.Context) error {
	d, err := s.managedExam(c)
	if err != nil {
		return err
	}
	n, err := s.exam.PreparePapers(c.Request.Context(), d.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"prepared": n})
	return nil
}

func (s *Server) previewExam(c *gin.Context) error {
	d, err := s.managedExam(c)
	if err != nil {
		return err
	}
	p, err := s.exam.Preview(c.Request.Context(), d.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": toItemsJSON(p.Items), "paper_id": p.PaperID})
	return nil
}

// Attempts.

type optionJSON struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

type itemJSON struct {
	ID      int                  `json:"id"`
	Type    content.QuestionType `json:"type"`
	Stem    string               `json:"stem"`
	Options []optionJSON         `json:"options"`
	Blanks  int                  `json:"blanks"`
	Points  skillarena.Points    `json:"points"`
}

func toItemsJSON(items []exam.ItemView) []itemJSON {
	out := make([]itemJSON, len(items))
	for i, it := range items {
		opts := make([]optionJSON, len(it.Options))
		for j, o := range it.Options {
			opts[j] = optionJSON{Key: o.Key, Text: o.Text}
		}
		out[i] = itemJSON{ID: it.ID, Type: it.Type, Stem: it.Stem, Options: opts, Blanks: it.Blanks, Points: it.Points}
	}
	return out
}

type answerJSON struct {
	ItemID   int             `json:"item_id"`
	Response json.RawMessage `json:"response"`
	Seq      int64           `json:"seq"`
	SavedAt  *time.Time      `json:"saved_at"`
}

type attemptJSON struct {
	ID               int64              `json:"id"`
	ExamID           int64              `json:"exam_id"`
	ExamTitle        string             `json:"exam_title"`
	Number           int                `json:"number"`
	Status           exam.AttemptStatus `json:"status"`
	StartedAt        time.Time          `json:"started_at"`
	Deadline         time.Time          `json:"deadline"`
	RemainingSeconds int                `json:"remaining_seconds"`
	ServerTime       time.Time          `json:"server_time"`
	GraceSeconds     int                `json:"grace_seconds"`
	SubmittedAt      *time.Time         `json:"submitted_at"`
	SubmittedBy      string             `json:"submitted_by"`
	Score            *skillarena.Points `json:"score"`
	Graded           bool               `json:"graded"`
	Items            []itemJSON         `json:"items"`
	Answers          []answerJSON       `json:"answers"`
}

func (s *Server) toAttemptJSON(v exam.AttemptView) attemptJSON {
	out := attemptJSON{ID: v.ID, ExamID: v.ExamID, ExamTitle: v.ExamTitle, Number: v.Number, Status: v.Status, StartedAt: v.StartedAt,
		Deadline: v.Deadline, RemainingSeconds: v.RemainingSeconds, ServerTime: s.clock.Now(), GraceSeconds: v.GraceSeconds,
		SubmittedAt: v.SubmittedAt, SubmittedBy: v.SubmittedBy, Graded: v.Graded, Items: toItemsJSON(v.Items),
		Answers: make([]answerJSON, len(v.Answers))}
	if v.ResultsVisible {
		out.Score = v.Score
	}
	for i, a := range v.Answers {
		r := json.RawMessage("null")
		if a.Response != nil {
			r = json.RawMessage(*a.Response)
		}
		out.Answers[i] = answerJSON{ItemID: a.Position, Response: r, Seq: a.Seq, SavedAt: a.SavedAt}
	}
	return out
}

// answerAttempt answers the caller's attempt as act, given the :id in the
// path, leaves it: 201 when act started it, 200 otherwise.
func (s *Server) answerAttempt(c *gin.Context, act func(ctx context.Context, userID, id int64) (exam.AttemptView, error)) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v, err := act(s.examCtx(c), user(c).ID, id)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if v.Fresh {
		status = http.StatusCreated
	}
	body, err := appendAttemptJSON(make([]byte, 0, 1024+512*len(v.Items)), s.toAttemptJSON(v))
	if err != nil {
		return err
	}
	c.Data(status, "application/json; charset=utf-8", body)
	return nil
}

// startAttempt starts the caller's attempt at the :id exam, or resumes it.
func (s *Server) startAttempt(c *gin.Context) error { return s.answerAttempt(c, s.exam.Start) }

func (s *Server) getAttempt(c *gin.Context) error { return s.answerAttempt(c, s.exam.Attempt) }

type saveAnswerRequest struct {
	Response json.RawMessage `json:"response"`
	Seq      int64           `json:"seq" binding:"required"`
}

func (s *Server) saveAnswer(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	item, err := pathID(c, "item_id")
	if err != nil {
		return err
	}
	var req saveAnswerRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if len(req.Response) == 0 {
		req.Response = json.RawMessage("null")
	}
	saved, err := s.exam.Save(s.examCtx(c), user(c).ID, id, int(item), req.Response, req.Seq)
	if err != nil {
		return err
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", appendSavedJSON(make([]byte, 0, 64), savedJSON{Seq: saved.Seq, SavedAt: saved.SavedAt}))
	return nil
}

// savedJSON acknowledges a save, the hottest answer of all (written by hand,
// attempt_json.go).
type savedJSON struct {
	Seq     int64     `json:"seq"`
	SavedAt time.Time `json:"saved_at"`
}

type heartbeatRequest struct {
	FocusLost int  `json:"focus_lost" binding:"min=0,max=10000"`
	Visible   bool `json:"visible"`
}

type messageJSON struct {
	ID     int64     `json:"id"`
	Text   string    `json:"text"`
	SentAt time.Time `json:"sent_at"`
}

func (s *Server) heartbeat(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req heartbeatRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	b, err := s.exam.Heartbeat(s.examCtx(c), user(c).ID, id, req.FocusLost, req.Visible)
	if err != nil {
		return err
	}
	msgs := make([]messageJSON, len(b.Messages))
	for i, m := range b.Messages {
		msgs[i] = messageJSON{ID: m.ID, Text: m.Text, SentAt: m.SentAt}
	}
	c.JSON(http.StatusOK, gin.H{"status": b.Status, "deadline": b.Deadline, "remaining_seconds": b.RemainingSeconds,
		"server_time": b.ServerTime, "messages": msgs})
	return nil
}

func (s *Server) submitAttempt(c *gin.Context) error { return s.answerAttempt(c, s.exam.Submit) }

// Invigilation.

type monitorRowJSON struct {
	UserID           int64      `json:"user_id"`
	Username         string     `json:"username"`
	Name             string     `json:"name"`
	OrgUnitName      string     `json:"org_unit_name"`
	State            string     `json:"state"`
	AttemptID        *int64     `json:"attempt_id"`
	Answered         int        `json:"answered"`
	ItemCount        int        `json:"item_count"`
	LastSeenAt       *time.Time `json:"last_seen_at"`
	FocusLosses      int        `json:"focus_losses"`
	PageHidden       bool       `json:"page_hidden"`
	Locked           bool       `json:"locked"`
	Deadline         *time.Time `json:"deadline"`
	RemainingSeconds *int       `json:"remaining_seconds"`
	ExtraSeconds     int        `json:"extra_seconds"`
	SubmittedAt      *time.Time `json:"submitted_at"`
	SubmittedBy      string     `json:"submitted_by"`
}

type monitorJSON struct {
	Exam       examJSON         `json:"exam"`
	ServerTime time.Time        `json:"server_time"`
	Rows       []monitorRowJSON `json:"rows"`
}

// monitorSnapshot reads an exam's console; shared says a reading up to a
// second old, shared with other live consoles, will do.
func (s *Server) monitorSnapshot(ctx context.Context, d exam.ExamDetail, shared bool) (monitorJSON, error) {
	read := s.exam.Monitor
	if shared {
		read = func(ctx context.Context, id int64) (exam.Monitor, error) {
			return s.monitors.get(ctx, id, monitorInterval, func(ctx context.Context) (exam.Monitor, error) { return s.exam.Monitor(ctx, id) })
		}
	}
	m, err := read(ctx, d.ID)
	if err != nil {
		return monitorJSON{}, err
	}
	out := monitorJSON{Exam: toExamJSON(d.ExamSummary), ServerTime: m.ServerTime, Rows: make([]monitorRowJSON, len(m.Rows))}
	for i, r := range m.Rows {
		out.Rows[i] = monitorRowJSON(r)
	}
	return out, nil
}

func (s *Server) monitor(c *gin.Context) error {
	d, err := s.managedExam(c)
	if err != nil {
		return err
	}
	m, err := s.monitorSnapshot(c.Request.Context(), d, false)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, m)
	return nil
}

// monitorInterval is how often the live console re-reads the database.
const monitorInterval = time.Second

// changeKey is a snapshot without what moves every second by itself (the
// clock and the time left), so the stream sends only real changes; the page
// counts the time down between them from deadline and server_time.
func changeKey(m monitorJSON) string {
	rows := make([]monitorRowJSON, len(m.Rows))
	for i, r := range m.Rows {
		r.RemainingSeconds = nil
		rows[i] = r
	}
	b, _ := json.Marshal(rows)
	return string(b)
}

// monitorStream sends the console's snapshot as server-sent events named
// "snapshot" (see streamSSE): at once, then whenever it changes, re-read from
// the database every second so events on any server reach it.
func (s *Server) monitorStream(c *gin.Context) error {
	d, err := s.managedExam(c)
	if err != nil {
		return err
	}
	return streamSSE(s, c, "snapshot", monitorInterval, func(ctx context.Context, shared bool) (monitorJSON, error) {
		return s.monitorSnapshot(ctx, d, shared)
	}, changeKey)
}

type extraTimeRequest struct {
	UserIDs []int64 `json:"user_ids" binding:"required,min=1,max=10000"`
	Minutes int     `json:"minutes" binding:"required,min=1,max=600"`
	Reason  string  `json:"reason" binding:"required,max=500"`
}

func (s *Server) extraTime(c *gin.Context) error {
	var req extraTimeRequest
	d, err := bindFor(c, s.managedExam, &req)
	if err != nil {
		return err
	}
	if err := s.exam.GrantExtraTime(c.Request.Context(), d.ID, req.UserIDs, time.Duration(req.Minutes)*time.Minute, req.Reason); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

type forceSubmitRequest struct {
	UserIDs []int64 `json:"user_ids" binding:"required,min=1,max=10000"`
	Reason  string  `json:"reason" binding:"required,max=500"`
}

func (s *Server) forceSubmit(c *gin.Context) error {
	var req forceSubmitRequest
	d, err := bindFor(c, s.managedExam, &req)
	if err != nil {
		return err
	}
	n, err := s.exam.ForceSubmit(c.Request.Context(), d.ID, req.UserIDs, req.Reason)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"submitted": n})
	return nil
}

type unlockRequest struct {
	UserID int64  `json:"user_id" binding:"required"`
	Reason string `json:"reason" binding:"required,max=500"`
}

func (s *Server) unlockAttempt(c *gin.Context) error {
	var req unlockRequest
	d, err := bindFor(c, s.managedExam, &req)
	if err != nil {
		return err
	}
	if err := s.exam.Unlock(c.Request.Context(), d.ID, req.UserID, req.Reason); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

type messageRequest struct {
	Text string `json:"text" binding:"required,max=500"`
}

func (s *Server) sendMessage(c *gin.Context) error {
	var req messageRequest
	d, err := bindFor(c, s.managedExam, &req)
	if err != nil {
		return err
	}
	m, err := s.exam.SendMessage(c.Request.Context(), d.ID, req.Text)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, messageJSON{ID: m.ID, Text: m.Text, SentAt: m.SentAt})
	return nil
}
