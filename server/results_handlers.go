package server

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"skillarena"
	"skillarena/content"
	"skillarena/exam"
)

type resultTopicJSON struct {
	TopicID int64             `json:"topic_id"`
	Topic   string            `json:"topic"`
	TopicEN string            `json:"topic_en"`
	Score   skillarena.Points `json:"score"`
	Max     skillarena.Points `json:"max"`
}

type resultTypeJSON struct {
	Type  content.QuestionType `json:"type"`
	Score skillarena.Points    `json:"score"`
	Max   skillarena.Points    `json:"max"`
}

type resultItemJSON struct {
	ID          int                  `json:"id"`
	Type        content.QuestionType `json:"type"`
	TopicID     int64                `json:"topic_id"`
	Stem        string               `json:"stem"`
	Options     []content.Option     `json:"options"`
	Points      skillarena.Points    `json:"points"`
	Score       *skillarena.Points   `json:"score"`
	Response    json.RawMessage      `json:"response"`
	CorrectKey  *content.Key         `json:"correct_key,omitempty"`
	Explanation string               `json:"explanation,omitempty"`
}

type resultContestantJSON struct {
	UserID      int64  `json:"user_id"`
	Username    string `json:"username"`
	Name        string `json:"name"`
	OrgUnitID   int64  `json:"org_unit_id"`
	OrgUnitName string `json:"org_unit_name"`
}

type resultJSON struct {
	AttemptID   int64                 `json:"attempt_id"`
	ExamID      int64                 `json:"exam_id"`
	ExamTitle   string                `json:"exam_title"`
	Number      int                   `json:"number"`
	SubmittedAt *time.Time            `json:"submitted_at"`
	Score       skillarena.Points     `json:"score"`
	MaxScore    skillarena.Points     `json:"max_score"`
	Graded      bool                  `json:"graded"`
	KeysShown   bool                  `json:"keys_shown"`
	Contestant  *resultContestantJSON `json:"contestant,omitempty"`
	ByTopic     []resultTopicJSON     `json:"by_topic"`
	ByType      []resultTypeJSON      `json:"by_type"`
	Items       []resultItemJSON      `json:"items"`
}

func toResultJSON(r exam.Result) resultJSON {
	out := resultJSON{AttemptID: r.Attempt.ID, ExamID: r.Attempt.ExamID, ExamTitle: r.ExamTitle, Number: r.Attempt.Number,
		SubmittedAt: r.Attempt.SubmittedAt, Score: r.Score, MaxScore: r.MaxScore, Graded: r.Graded, KeysShown: r.KeysShown,
		ByTopic: make([]resultTopicJSON, len(r.ByTopic)), ByType: make([]resultTypeJSON, len(r.ByType)),
		Items: make([]resultItemJSON, len(r.Items))}
	if w := r.Contestant; w != nil {
		out.Contestant = &resultContestantJSON{UserID: w.UserID, Username: w.Username, Name: w.Name, OrgUnitID: w.OrgUnitID, OrgUnitName: w.OrgUnitName}
	}
	for i, t := range r.ByTopic {
		out.ByTopic[i] = resultTopicJSON{TopicID: t.TopicID, Topic: t.Name, TopicEN: t.NameEN, Score: t.Score, Max: t.Max}
	}
	for i, t := range r.ByType {
		out.ByType[i] = resultTypeJSON(t)
	}
	for i, it := range r.Items {
		ri := resultItemJSON{ID: it.Position, Type: it.Type, TopicID: it.TopicID, Stem: it.Stem, Options: it.Options,
			Points: it.Points, Score: it.Score, CorrectKey: it.Key, Explanation: it.Explanation}
		if ri.Options == nil {
			ri.Options = []content.Option{}
		}
		if it.Response != nil && json.Valid([]byte(*it.Response)) {
			ri.Response = json.RawMessage(*it.Response)
		}
		out.Items[i] = ri
	}
	return out
}

// myResult answers the caller's own result; another's attempt is not found,
// and a result the exam does not show yet answers 409 saying when it will.
func (s *Server) myResult(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.exam.MyResult(c.Request.Context(), user(c).ID, id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toResultJSON(r))
	return nil
}

type resultRowJSON struct {
	AttemptID   int64              `json:"attempt_id"`
	Number      int                `json:"number"`
	UserID      int64              `json:"user_id"`
	Username    string             `json:"username"`
	Name        string             `json:"name"`
	OrgUnitID   int64              `json:"org_unit_id"`
	OrgUnitName string             `json:"org_unit_name"`
	Score       *skillarena.Points `json:"score"`
	Graded      bool               `json:"graded"`
	SubmittedAt *time.Time         `json:"submitted_at"`
	SubmittedBy string             `json:"submitted_by"`
}

func (s *Server) listExamResults(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := page(c)
	if err != nil {
		return err
	}
	rows, total, err := s.exam.ExamResults(c.Request.Context(), scope(c), id, p)
	if err != nil {
		return err
	}
	out := make([]resultRowJSON, len(rows))
	for i, r := range rows {
		out[i] = resultRowJSON(r)
	}
	c.JSON(http.StatusOK, newList(out, total))
	return nil
}

func (s *Server) getExamResult(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	attemptID, err := pathID(c, "attempt_id")
	if err != nil {
		return err
	}
	r, err := s.exam.AttemptResult(c.Request.Context(), scope(c), id, attemptID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toResultJSON(r))
	return nil
}

type releaseResultsRequest struct {
	Reason string `json:"reason" binding:"max=500"`
}

type releaseJSON struct {
	ExamID            int64           `json:"exam_id"`
	ResultsVisibility exam.Visibility `json:"results_visibility"`
	ResultsReleasedAt *time.Time      `json:"results_released_at"`
}

func (s *Server) releaseResults(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req releaseResultsRequest
	if c.Request.ContentLength != 0 {
		if err := bindJSON(c, &req); err != nil {
			return err
		}
	}
	e, err := s.exam.ReleaseResults(c.Request.Context(), scope(c), id, req.Reason)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, releaseJSON{ExamID: e.ID, ResultsVisibility: e.ResultsVisibility, ResultsReleasedAt: e.ResultsReleasedAt})
	return nil
}

// stat is a statistic as the API shows it: a JSON number rounded to four
// places (statistics are not scores, which stay decimal strings).
func stat(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return math.Round(x*1e4) / 1e4
}

func statPtr(x *float64) *float64 {
	if x == nil || math.IsNaN(*x) || math.IsInf(*x, 0) {
		return nil
	}
	v := stat(*x)
	return &v
}

type statisticsBinJSON struct {
	From  float64 `json:"from"`
	To    float64 `json:"to"`
	Count int     `json:"count"`
}

type statisticsDistributionJSON struct {
	N      int                 `json:"n"`
	Mean   float64             `json:"mean"`
	Median float64             `json:"median"`
	SD     float64             `json:"sd"`
	Min    float64             `json:"min"`
	Max    float64             `json:"max"`
	Bins   []statisticsBinJSON `json:"bins"`
}

type statisticsReliabilityJSON struct {
	Alpha *float64 `json:"alpha"`
	Items int      `json:"items"`
	N     int      `json:"n"`
	Note  *string  `json:"note"`
}

type statisticsOptionJSON struct {
	Key     string `json:"key"`
	Count   int    `json:"count"`
	Correct bool   `json:"correct"`
}

type statisticsItemJSON struct {
	Position       *int                   `json:"position"`
	Section        int                    `json:"section"`
	QuestionID     int64                  `json:"question_id"`
	VersionID      int64                  `json:"version_id"`
	Type           content.QuestionType   `json:"type"`
	TopicID        int64                  `json:"topic_id"`
	Topic          string                 `json:"topic"`
	TopicEN        string                 `json:"topic_en"`
	Stem           string                 `json:"stem"`
	Points         skillarena.Points      `json:"points"`
	Seen           int                    `json:"seen"`
	N              int                    `json:"n"`
	Omitted        int                    `json:"omitted"`
	Mean           float64                `json:"mean"`
	Facility       *float64               `json:"facility"`
	Discrimination *float64               `json:"discrimination"`
	Options        []statisticsOptionJSON `json:"options"`
}

type statisticsJSON struct {
	ExamID       int64                      `json:"exam_id"`
	PaperMode    exam.PaperMode             `json:"paper_mode"`
	Attempts     int                        `json:"attempts"`
	Graded       int                        `json:"graded"`
	MaxScore     skillarena.Points          `json:"max_score"`
	Distribution statisticsDistributionJSON `json:"distribution"`
	Reliability  statisticsReliabilityJSON  `json:"reliability"`
	Items        []statisticsItemJSON       `json:"items"`
}

func (s *Server) examStatistics(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var opts exam.StatsOptions
	if v := c.Query("bins"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return skillarena.Invalid(map[string]string{"bins": "results.bins_range"})
		}
		opts.Bins = n
	}
	st, err := s.exam.Statistics(c.Request.Context(), scope(c), id, opts)
	if err != nil {
		return err
	}
	d := st.Distribution
	out := statisticsJSON{ExamID: st.ExamID, PaperMode: st.PaperMode, Attempts: st.Attempts, Graded: st.Graded, MaxScore: st.MaxScore,
		Distribution: statisticsDistributionJSON{N: d.N, Mean: stat(d.Mean), Median: stat(d.Median), SD: stat(d.SD), Min: stat(d.Min),
			Max: stat(d.Max), Bins: make([]statisticsBinJSON, len(st.Bins))},
		Reliability: statisticsReliabilityJSON{Alpha: statPtr(st.Reliability.Alpha), Items: st.Reliability.Items, N: st.Reliability.N},
		Items:       make([]statisticsItemJSON, len(st.Items))}
	for i, b := range st.Bins {
		out.Distribution.Bins[i] = statisticsBinJSON{From: stat(b.From), To: stat(b.To), Count: b.Count}
	}
	if n := st.Reliability.Note; n != "" {
		text := s.tr.T(pickLang(c.GetHeader("Accept-Language")), n, st.Reliability.NoteArgs)
		out.Reliability.Note = &text
	}
	for i, it := range st.Items {
		o := statisticsItemJSON{Section: it.Section, QuestionID: it.QuestionID, VersionID: it.VersionID, Type: it.Type,
			TopicID: it.TopicID, Topic: it.TopicName, TopicEN: it.TopicNameEN, Stem: it.Stem, Points: it.Points, Seen: it.Seen,
			N: it.N, Omitted: it.Omitted, Mean: stat(it.Mean), Facility: statPtr(it.Facility), Discrimination: statPtr(it.Discrimination),
			Options: make([]statisticsOptionJSON, len(it.Options))}
		if it.Position > 0 {
			p := it.Position
			o.Position = &p
		}
		for j, op := range it.Options {
			o.Options[j] = statisticsOptionJSON(op)
		}
		out.Items[i] = o
	}
	c.JSON(http.StatusOK, out)
	return nil
}
