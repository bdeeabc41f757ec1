package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"skillarena"
	"skillarena/content"
)

type topicJSON struct {
	ID       int64  `json:"id"`
	ParentID *int64 `json:"parent_id"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	NameEN   string `json:"name_en"`
	Depth    int    `json:"depth"`
}

func toTopicJSON(t content.Topic) topicJSON {
	return topicJSON{ID: t.ID, ParentID: t.ParentID, Code: t.Code, Name: t.Name, NameEN: t.NameEN, Depth: t.Depth}
}

func (s *Server) listTopics(c *gin.Context) error {
	ts, err := s.content.ListTopics(c.Request.Context())
	if err != nil {
		return err
	}
	out := make([]topicJSON, len(ts))
	for i, t := range ts {
		out[i] = toTopicJSON(t)
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

type createTopicRequest struct {
	ParentID int64  `json:"parent_id" binding:"required"`
	Name     string `json:"name" binding:"required,max=100"`
	NameEN   string `json:"name_en" binding:"max=100"`
}

func (s *Server) createTopic(c *gin.Context) error {
	var req createTopicRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	t, err := s.content.CreateTopic(c.Request.Context(), scope(c), content.TopicInput{ParentID: req.ParentID, Name: req.Name, NameEN: req.NameEN})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, toTopicJSON(t))
	return nil
}

type updateTopicRequest struct {
	Name   *string `json:"name" binding:"omitempty,max=100"`
	NameEN *string `json:"name_en" binding:"omitempty,max=100"`
}

func (s *Server) updateTopic(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req updateTopicRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	t, err := s.content.UpdateTopic(c.Request.Context(), scope(c), id, req.Name, req.NameEN)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toTopicJSON(t))
	return nil
}

type bankJSON struct {
	ID            int64     `json:"id"`
	OrgUnitID     int64     `json:"org_unit_id"`
	OrgUnitName   string    `json:"org_unit_name"`
	Name          string    `json:"name"`
	Description   string    `json:"description"`
	QuestionCount int64     `json:"question_count"`
	ApprovedCount int64     `json:"approved_count"`
	Editable      bool      `json:"editable"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// toBankJSON marks a bank editable when the caller may write questions into
// it (an author whose scope holds the bank's unit).
func (s *Server) toBankJSON(c *gin.Context, b content.BankSummary) bankJSON {
	return bankJSON{ID: b.ID, OrgUnitID: b.OrgUnitID, OrgUnitName: b.OrgUnitName, Name: b.Name, Description: b.Description,
		QuestionCount: b.QuestionCount, ApprovedCount: b.ApprovedCount,
		Editable:  s.scopeFor(c, "/api/v1/questions/:id", http.MethodPut).Contains(b.OrgUnitPath),
		CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt}
}

func (s *Server) listBanks(c *gin.Context) error {
	bs, err := s.content.ListBanks(c.Request.Context(), scope(c))
	if err != nil {
		return err
	}
	out := make([]bankJSON, len(bs))
	for i, b := range bs {
		out[i] = s.toBankJSON(c, b)
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

type createBankRequest struct {
	OrgUnitID   int64  `json:"org_unit_id" binding:"required"`
	Name        string `json:"name" binding:"required,max=100"`
	Description string `json:"description" binding:"max=2000"`
}

func (s *Server) createBank(c *gin.Context) error {
	var req createBankRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	b, err := s.content.CreateBank(c.Request.Context(), scope(c), content.BankInput{OrgUnitID: req.OrgUnitID, Name: req.Name, Description: req.Description})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, s.toBankJSON(c, b))
	return nil
}

type updateBankRequest struct {
	Name        *string `json:"name" binding:"omitempty,max=100"`
	Description *string `json:"description" binding:"omitempty,max=2000"`
}

func (s *Server) updateBank(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req updateBankRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	b, err := s.content.UpdateBank(c.Request.Context(), scope(c), id, req.Name, req.Description)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.toBankJSON(c, b))
	return nil
}

// versionJSON is a question version as the API shows it, key included: only
// authors and organisers reach these routes.
type versionJSON struct {
	ID                int64                 `json:"id"`
	Version           int                   `json:"version"`
	Type              content.QuestionType  `json:"type"`
	TopicID           int64                 `json:"topic_id"`
	Stem              string                `json:"stem"`
	Options           []content.Option      `json:"options"`
	Key               content.Key           `json:"key"`
	Normalization     content.Normalization `json:"normalization"`
	Explanation       string                `json:"explanation"`
	Difficulty        int                   `json:"difficulty"`
	Points            skillarena.Points     `json:"points"`
	Tags              []string              `json:"tags"`
	ReferenceAnswer   string                `json:"reference_answer"`
	Rubric            string                `json:"rubric"`
	MaterialSectionID *int64                `json:"material_section_id"`
	EditorID          int64                 `json:"editor_id"`
	EditorName        string                `json:"editor_name"`
	CreatedAt         time.Time             `json:"created_at"`
}

func toVersionJSON(v content.Version, editorName string) versionJSON {
	d := v.Draft()
	return versionJSON{ID: v.ID, Version: v.Version, Type: v.Type, TopicID: v.TopicID, Stem: d.Stem, Options: d.Options,
		Key: d.Key, Normalization: d.Normalization, Explanation: d.Explanation, Difficulty: d.Difficulty, Points: d.Points,
		Tags: d.Tags, ReferenceAnswer: d.ReferenceAnswer, Rubric: d.Rubric, MaterialSectionID: v.MaterialSectionID,
		EditorID: v.EditorID, EditorName: editorName, CreatedAt: v.CreatedAt}
}

type questionJSON struct {
	ID             int64          `json:"id"`
	BankID         int64          `json:"bank_id"`
	BankName       string         `json:"bank_name"`
	Status         content.Status `json:"status"`
	Version        int            `json:"version"`
	TopicID        int64          `json:"topic_id"`
	TopicName      string         `json:"topic_name"`
	LastEditorID   int64          `json:"last_editor_id"`
	LastEditorName string         `json:"last_editor_name"`
	Editable       bool           `json:"editable"`
	Approvable     bool           `json:"approvable"`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
	Current        versionJSON    `json:"current"`
}

// questionOut renders a question with Editable and Approvable judged by the
// caller's rights to edit and review, not merely to read.
func (s *Server) questionOut(c *gin.Context, d content.QuestionDetail) questionJSON {
	d.Editable = s.scopeFor(c, "/api/v1/questions/:id", http.MethodPut).Contains(d.BankUnitPath)
	d.Approvable = d.Editable && d.Status == content.StatusInReview && d.LastEditorID != user(c).ID
	return toQuestionJSON(d)
}

func toQuestionJSON(d content.QuestionDetail) questionJSON {
	return questionJSON{ID: d.ID, BankID: d.BankID, BankName: d.BankName, Status: d.Status, Version: d.CurrentVersion,
		TopicID: d.TopicID, TopicName: d.TopicName, LastEditorID: d.LastEditorID, LastEditorName: d.LastEditorName,
		Editable: d.Editable, Approvable: d.Approvable, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
		Current: toVersionJSON(d.Current, d.LastEditorName)}
}

type questionRowJSON struct {
	ID             int64                `json:"id"`
	BankID         int64                `json:"bank_id"`
	BankName       string               `json:"bank_name"`
	Status         content.Status       `json:"status"`
	Version        int                  `json:"version"`
	Type           content.QuestionType `json:"type"`
	TopicID        int64                `json:"topic_id"`
	TopicName      string               `json:"topic_name"`
	Difficulty     int                  `json:"difficulty"`
	Points         skillarena.Points    `json:"points"`
	Tags           []string             `json:"tags"`
	Stem           string               `json:"stem"`
	LastEditorID   int64                `json:"last_editor_id"`
	LastEditorName string               `json:"last_editor_name"`
	Editable       bool                 `json:"editable"`
	Approvable     bool                 `json:"approvable"`
	UpdatedAt      time.Time            `json:"updated_at"`
}

func questionFilter(c *gin.Context) (content.Filter, error) {
	var f content.Filter
	var err error
	if f.Page, err = page(c); err != nil {
		return f, err
	}
	if f.BankID, err = queryID(c, "bank_id"); err != nil {
		return f, err
	}
	if f.TopicID, err = queryID(c, "topic_id"); err != nil {
		return f, err
	}
	f.Type = content.QuestionType(c.Query("type"))
	if v := c.Query("difficulty"); v != "" {
		if f.Difficulty, err = strconv.Atoi(v); err != nil || f.Difficulty < 1 || f.Difficulty > 5 {
			return f, skillarena.Invalid(map[string]string{"difficulty": "question.difficulty_range"})
		}
	}
	switch st := content.Status(c.Query("status")); st {
	case "", content.StatusDraft, content.StatusInReview, content.StatusApproved, content.StatusRetired:
		f.Status = st
	default:
		return f, skillarena.Invalid(map[string]string{"status": "question.status_unknown"})
	}
	f.Tag, f.Text = c.Query("tag"), c.Query("q")
	return f, nil
}

func (s *Server) listQuestions(c *gin.Context) error {
	f, err := questionFilter(c)
	if err != nil {
		return err
	}
	rows, total, err := s.content.Search(c.Request.Context(), scope(c), f)
	if err != nil {
		return err
	}
	banks, err := s.content.ListBanks(c.Request.Context(), scope(c))
	if err != nil {
		return err
	}
	writable := s.scopeFor(c, "/api/v1/questions/:id", http.MethodPut)
	editable := map[int64]bool{}
	for _, b := range banks {
		editable[b.ID] = writable.Contains(b.OrgUnitPath)
	}
	me := user(c).ID
	out := make([]questionRowJSON, len(rows))
	for i, r := range rows {
		var tags []string
		json.Unmarshal([]byte(r.TagsJSON), &tags)
		if tags == nil {
			tags = []string{}
		}
		out[i] = questionRowJSON{ID: r.ID, BankID: r.BankID, BankName: r.BankName, Status: r.Status, Version: r.CurrentVersion,
			Type: r.Type, TopicID: r.TopicID, TopicName: r.TopicName, Difficulty: r.Difficulty, Points: r.Points, Tags: tags,
			Stem: r.Stem, LastEditorID: r.LastEditorID, LastEditorName: r.LastEditorName, Editable: editable[r.BankID],
			Approvable: editable[r.BankID] && r.Status == content.StatusInReview && r.LastEditorID != me, UpdatedAt: r.UpdatedAt}
	}
	c.JSON(http.StatusOK, newList(out, total))
	return nil
}

// questionRequest is the editor's content of a question.
type questionRequest struct {
	BankID            int64                  `json:"bank_id"`
	TopicID           int64                  `json:"topic_id" binding:"required"`
	Type              content.QuestionType   `json:"type" binding:"required"`
	Stem              string                 `json:"stem"`
	Options           []content.Option       `json:"options" binding:"max=8"`
	Key               content.Key            `json:"key"`
	Normalization     *content.Normalization `json:"normalization"`
	Explanation       string                 `json:"explanation"`
	Difficulty        int                    `json:"difficulty"`
	Points            skillarena.Points      `json:"points"`
	Tags              []string               `json:"tags" binding:"max=20"`
	ReferenceAnswer   string                 `json:"reference_answer"`
	Rubric            string                 `json:"rubric"`
	MaterialSectionID *int64                 `json:"material_section_id"`
	BaseVersion       int                    `json:"base_version"`
}

// input converts the request; a fill-in question sent without normalisation
// rules gets the same lenient defaults the importers use.
func (r questionRequest) input() content.EditInput {
	norm := content.DefaultNormalization
	if r.Normalization != nil {
		norm = *r.Normalization
	}
	return content.EditInput{Draft: content.Draft{Type: r.Type, Stem: r.Stem, Options: r.Options, Key: r.Key,
		Normalization: norm, Explanation: r.Explanation, Difficulty: r.Difficulty, Points: r.Points, Tags: r.Tags,
		ReferenceAnswer: r.ReferenceAnswer, Rubric: r.Rubric}, TopicID: r.TopicID, MaterialSectionID: r.MaterialSectionID, BaseVersion: r.BaseVersion}
}

func (s *Server) createQuestion(c *gin.Context) error {
	var req questionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if req.BankID == 0 {
		return skillarena.Invalid(map[string]string{"bank_id": "field.required"})
	}
	d, err := s.content.CreateQuestion(c.Request.Context(), scope(c), req.BankID, req.input())
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, s.questionOut(c, d))
	return nil
}

func (s *Server) getQuestion(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.content.Question(c.Request.Context(), scope(c), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.questionOut(c, d))
	return nil
}

func (s *Server) editQuestion(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req questionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if req.BankID != 0 {
		return skillarena.Invalid(map[string]string{"bank_id": "question.bank_fixed"})
	}
	d, err := s.content.EditQuestion(c.Request.Context(), scope(c), id, req.input())
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.questionOut(c, d))
	return nil
}

func (s *Server) questionVersions(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	vs, err := s.content.Versions(c.Request.Context(), scope(c), id)
	if err != nil {
		return err
	}
	names, err := s.org.UserNames(c.Request.Context(), editorIDs(vs))
	if err != nil {
		return err
	}
	out := make([]versionJSON, len(vs))
	for i, v := range vs {
		out[i] = toVersionJSON(v, names[v.EditorID])
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

func editorIDs(vs []content.Version) []int64 {
	ids := make([]int64, len(vs))
	for i, v := range vs {
		ids[i] = v.EditorID
	}
	return ids
}

type eventJSON struct {
	ID         int64          `json:"id"`
	Version    int            `json:"version"`
	ActorID    int64          `json:"actor_id"`
	ActorName  string         `json:"actor_name"`
	Kind       string         `json:"kind"`
	FromStatus content.Status `json:"from_status"`
	ToStatus   content.Status `json:"to_status"`
	Comment    string         `json:"comment"`
	CreatedAt  time.Time      `json:"created_at"`
}

func toEventJSON(e content.EventRow) eventJSON {
	return eventJSON{ID: e.ID, Version: e.Version, ActorID: e.ActorID, ActorName: e.ActorName, Kind: e.Kind,
		FromStatus: e.FromStatus, ToStatus: e.ToStatus, Comment: e.Comment, CreatedAt: e.CreatedAt}
}

func (s *Server) questionEvents(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	es, err := s.content.Events(c.Request.Context(), scope(c), id)
	if err != nil {
		return err
	}
	out := make([]eventJSON, len(es))
	for i, e := range es {
		out[i] = toEventJSON(e)
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

type transitionRequest struct {
	Action  string `json:"action" binding:"required"`
	Comment string `json:"comment" binding:"max=2000"`
}

func (s *Server) transitionQuestion(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req transitionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	d, err := s.content.Transition(c.Request.Context(), scope(c), id, content.Action(req.Action), req.Comment)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.questionOut(c, d))
	return nil
}

type commentRequest struct {
	Comment string `json:"comment" binding:"required,max=2000"`
}

func (s *Server) commentQuestion(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req commentRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	e, err := s.content.Comment(c.Request.Context(), scope(c), id, req.Comment)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, toEventJSON(e))
	return nil
}

type countJSON struct {
	TopicID    int64                `json:"topic_id"`
	Type       content.QuestionType `json:"type"`
	Difficulty int                  `json:"difficulty"`
	Count      int64                `json:"count"`
}

func (s *Server) questionCounts(c *gin.Context) error {
	bankID, err := queryID(c, "bank_id")
	if err != nil {
		return err
	}
	cs, err := s.content.Counts(c.Request.Context(), scope(c), bankID)
	if err != nil {
		return err
	}
	out := make([]countJSON, len(cs))
	for i, x := range cs {
		out[i] = countJSON{TopicID: x.TopicID, Type: x.Type, Difficulty: x.Difficulty, Count: x.Count}
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

type fileProblemJSON struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

type duplicateJSON struct {
	Row         int    `json:"row"`
	QuestionID  *int64 `json:"question_id"`
	SameFileRow *int   `json:"same_file_row"`
}

type previewJSON struct {
	Row        int                  `json:"row"`
	Type       content.QuestionType `json:"type"`
	Topic      string               `json:"topic"`
	Stem       string               `json:"stem"`
	Difficulty int                  `json:"difficulty"`
	Points     skillarena.Points    `json:"points"`
}

// row is the spreadsheet row or the text line of a position.
func row(p content.Pos) int {
	if p.Row != 0 {
		return p.Row
	}
	return p.Line
}

func (s *Server) importQuestions(c *gin.Context) error {
	dryRun, err := queryBool(c, "dry_run")
	if err != nil {
		return err
	}
	createTopics, err := queryBool(c, "create_topics")
	if err != nil {
		return err
	}
	bankID, err := queryID(c, "bank_id")
	if err != nil {
		return err
	}
	if bankID == 0 {
		return skillarena.Invalid(map[string]string{"bank_id": "field.required"})
	}
	data, _, err := readUpload(c)
	if err != nil {
		return err
	}
	res, err := s.content.Import(c.Request.Context(), scope(c), content.ImportRequest{
		Format: content.Format(c.Query("format")), BankID: bankID, Data: data,
		DryRun: dryRun == nil || *dryRun, CreateTopics: createTopics != nil && *createTopics})
	if err != nil {
		return err
	}
	lang := pickLang(c.GetHeader("Accept-Language"))
	problems := func(fs []content.FileError) []fileProblemJSON {
		out := make([]fileProblemJSON, len(fs))
		for i, f := range fs {
			out[i] = fileProblemJSON{Row: row(f.Pos), Column: f.Pos.Column, Field: f.Field, Message: s.tr.T(lang, f.Message, f.Args)}
		}
		return out
	}
	out := struct {
		Imported      int               `json:"imported"`
		Skipped       int               `json:"skipped"`
		Errors        []fileProblemJSON `json:"errors"`
		Warnings      []fileProblemJSON `json:"warnings"`
		Duplicates    []duplicateJSON   `json:"duplicates"`
		Preview       []previewJSON     `json:"preview"`
		CreatedTopics []string          `json:"created_topics"`
	}{Imported: res.Imported, Skipped: res.Skipped, Errors: problems(res.Errors), Warnings: problems(res.Warnings),
		Duplicates: []duplicateJSON{}, Preview: []previewJSON{}, CreatedTopics: []string{}}
	for _, d := range res.Duplicates {
		j := duplicateJSON{Row: row(d.Pos)}
		if d.QuestionID != 0 {
			id := d.QuestionID
			j.QuestionID = &id
		} else {
			r := row(d.SameFile)
			j.SameFileRow = &r
		}
		out.Duplicates = append(out.Duplicates, j)
	}
	for _, p := range res.Preview {
		out.Preview = append(out.Preview, previewJSON{Row: row(p.Pos), Type: p.Type, Topic: strings.Join(p.TopicPath, "/"),
			Stem: p.Stem, Difficulty: p.Difficulty, Points: p.Points})
	}
	for _, t := range res.CreatedTopics {
		out.CreatedTopics = append(out.CreatedTopics, strings.Join(t, "/"))
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// attachment sends data as a download named name (ASCII fallback plus the
// UTF-8 name).
func attachment(c *gin.Context, ctype, asciiName, name string, data []byte) {
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, asciiName, url.PathEscape(name)))
	c.Data(http.StatusOK, ctype, data)
}

func (s *Server) questionTemplate(c *gin.Context) error {
	data, err := content.TemplateXLSX()
	if err != nil {
		return err
	}
	attachment(c, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "questions-template.xlsx", "题目导入模板.xlsx", data)
	return nil
}

func (s *Server) exportQuestions(c *gin.Context) error {
	f, err := questionFilter(c)
	if err != nil {
		return err
	}
	exp, err := s.content.Export(c.Request.Context(), scope(c), f, content.Format(c.Query("format")))
	if err != nil {
		return err
	}
	stamp := s.clock.Now().Format("20060102-150405")
	attachment(c, exp.ContentType, "questions-"+stamp+"."+exp.Extension, "题目导出-"+stamp+"."+exp.Extension, exp.Data)
	return nil
}

type assetJSON struct {
	ID          int64  `json:"id"`
	URL         string `json:"url"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
}

func (s *Server) uploadAsset(c *gin.Context) error {
	data, _, err := readUpload(c)
	if err != nil {
		return err
	}
	a, err := s.content.UploadImage(c.Request.Context(), data)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, assetJSON{ID: a.ID, URL: content.AssetURL(a.SHA256), ContentType: a.ContentType, Size: a.Size})
	return nil
}

func (s *Server) getAsset(c *gin.Context) error {
	a, err := s.content.AssetByHash(c.Request.Context(), c.Param("hash"))
	if err != nil {
		return err
	}
	// The address is the content's hash, so it never changes.
	c.Header("Cache-Control", "private, max-age=31536000, immutable")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Content-Security-Policy", "default-src 'none'")
	c.Data(http.StatusOK, a.ContentType, a.Data)
	return nil
}
