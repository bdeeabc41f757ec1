package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// contentFixture is a demo server with a province bank and a bank owned by
// county C2, both made by the province organiser.
type contentFixture struct {
	e        *testEnv
	admin    *client
	provBank int64
	c2Bank   int64
	// network and maintenance are two of the seven fixed top topics.
	network, maintenance int64
}

func newContentFixture(t *testing.T, e *testEnv) *contentFixture {
	t.Helper()
	f := &contentFixture{e: e, admin: e.login("admin")}
	f.provBank = f.bank(t, "PROV", "省公司题库")
	f.c2Bank = f.bank(t, "C2", "临湖县局题库")
	r := f.admin.get("/api/v1/topics")
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	for _, it := range r.json(t)["items"].([]any) {
		tp := it.(map[string]any)
		switch tp["code"] {
		case "network":
			f.network = int64(tp["id"].(float64))
		case "maintenance":
			f.maintenance = int64(tp["id"].(float64))
		}
	}
	require.NotZero(t, f.network, "the seeded topic network")
	require.NotZero(t, f.maintenance, "the seeded topic maintenance")
	return f
}

// bank makes a bank owned by the unit with code, as the province organiser.
func (f *contentFixture) bank(t *testing.T, unit, name string) int64 {
	t.Helper()
	r := f.admin.post("/api/v1/banks", map[string]any{"org_unit_id": f.e.unit(unit).ID, "name": name, "description": "测试题库"})
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	return jsonID(t, r)
}

// question writes a single-choice question into bank as c and returns its id.
func (f *contentFixture) question(t *testing.T, c *client, bank int64, stem string) int64 {
	t.Helper()
	r := c.post("/api/v1/questions", singleChoice(bank, f.network, stem))
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	return jsonID(t, r)
}

// singleChoice is the body of a valid single-choice question; bank 0 leaves
// bank_id out (an edit).
func singleChoice(bank, topic int64, stem string) map[string]any {
	q := map[string]any{
		"topic_id": topic,
		"type":     "single_choice",
		"stem":     stem,
		"options": []map[string]string{
			{"key": "A", "text": "距离矢量协议"}, {"key": "B", "text": "链路状态协议"}, {"key": "C", "text": "路径矢量协议"}},
		"key":         map[string]any{"choices": []string{"B"}},
		"explanation": "OSPF 使用 SPF 算法。",
		"difficulty":  2,
		"points":      "1.5",
		"tags":        []string{"OSPF", "IP"},
	}
	if bank != 0 {
		q["bank_id"] = bank
	}
	return q
}

func jsonID(t *testing.T, r response) int64 {
	t.Helper()
	id, ok := r.json(t)["id"].(float64)
	require.True(t, ok, "no id in %s", r.body)
	return int64(id)
}

func (c *client) put(path string, v any) response { return c.send(http.MethodPut, path, v) }

// pngBytes is a small real PNG image.
func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	for x := range 4 {
		img.Set(x, 1, color.RGBA{R: 200, G: 30, B: 30, A: 255})
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// itemNames returns the "name" of every item of a list answer.
func itemNames(t *testing.T, r response) []string {
	t.Helper()
	var out []string
	for _, it := range r.json(t)["items"].([]any) {
		out = append(out, it.(map[string]any)["name"].(string))
	}
	return out
}

// itemIDs returns the "id" of every item of a list answer.
func itemIDs(t *testing.T, r response) []int64 {
	t.Helper()
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	var out []int64
	for _, it := range r.json(t)["items"].([]any) {
		out = append(out, int64(it.(map[string]any)["id"].(float64)))
	}
	return out
}

var hanRune = regexp.MustCompile(`\p{Han}`)

// A bank serves its own unit and every unit below it: a county organiser sees
// the province bank, never a sibling county's.
func TestBanks_CountySeesProvinceBankNotSiblingCountyBank(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		f := newContentFixture(t, e)
		cases := []struct {
			user      string
			sees, not []string
		}{
			{"county1", []string{"省公司题库"}, []string{"临湖县局题库"}},
			{"county2", []string{"省公司题库", "临湖县局题库"}, nil},
			{"region1", []string{"省公司题库", "临湖县局题库"}, nil},
			{"author1", []string{"省公司题库", "临湖县局题库"}, nil},
		}
		for _, tc := range cases {
			r := e.login(tc.user).get("/api/v1/banks")
			require.Equal(t, http.StatusOK, r.status, "%s: %s", tc.user, r.body)
			names := itemNames(t, r)
			assert.Subset(t, names, tc.sees, tc.user)
			for _, n := range tc.not {
				assert.NotContains(t, names, n, tc.user)
			}
		}

		// Organisers read banks; only authors write questions into them.
		for _, it := range e.login("county2").get("/api/v1/banks").json(t)["items"].([]any) {
			assert.Equal(t, false, it.(map[string]any)["editable"], "an organiser does not write questions")
		}
		for _, it := range e.login("author1").get("/api/v1/banks").json(t)["items"].([]any) {
			assert.Equal(t, true, it.(map[string]any)["editable"], "a province author writes into every bank below")
		}

		// A county organiser cannot change the province bank it reads, nor see
		// the sibling county's.
		county1 := e.login("county1")
		assert.Equal(t, http.StatusForbidden, county1.patch(fmt.Sprintf("/api/v1/banks/%d", f.provBank), map[string]any{"name": "改名"}).status)
		assert.Equal(t, http.StatusNotFound, county1.patch(fmt.Sprintf("/api/v1/banks/%d", f.c2Bank), map[string]any{"name": "改名"}).status)
	})
}

// Contestants read topics and study material, never banks or questions.
func TestContent_RolesReachOnlyTheirRoutes(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		newContentFixture(t, e)
		cases := []struct {
			user, path string
			want       int
		}{
			{"eng001", "/api/v1/questions", http.StatusForbidden},
			{"eng001", "/api/v1/banks", http.StatusForbidden},
			{"eng001", "/api/v1/questions/counts", http.StatusForbidden},
			{"eng001", "/api/v1/questions/export?format=xlsx", http.StatusForbidden},
			{"eng001", "/api/v1/materials", http.StatusOK},
			{"eng001", "/api/v1/topics", http.StatusOK},
			{"judge1", "/api/v1/questions", http.StatusForbidden},
			{"judge1", "/api/v1/materials", http.StatusOK},
			{"proctor1", "/api/v1/banks", http.StatusForbidden},
			{"county1", "/api/v1/questions", http.StatusOK},
			{"author1", "/api/v1/questions", http.StatusOK},
		}
		for _, tc := range cases {
			r := e.login(tc.user).get(tc.path)
			assert.Equal(t, tc.want, r.status, "%s GET %s: %s", tc.user, tc.path, r.body)
			if tc.want == http.StatusForbidden {
				assert.Equal(t, "forbidden", r.errorCode(t))
			}
		}
		assert.Equal(t, http.StatusUnauthorized, e.client().get("/api/v1/topics").status, "topics need a sign-in")
	})
}

// An edit makes a new version; an edit on top of a version that is no longer
// current is refused; nobody approves their own version.
func TestQuestions_EditVersionsAndFourEyesReview(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		f := newContentFixture(t, e)
		author1, author2 := e.login("author1"), e.login("author2")

		r := author1.post("/api/v1/questions", singleChoice(f.provBank, f.network, "OSPF 属于哪一类路由协议？"))
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		q := r.json(t)
		id := jsonID(t, r)
		path := fmt.Sprintf("/api/v1/questions/%d", id)
		assert.Equal(t, "draft", q["status"])
		assert.EqualValues(t, 1, q["version"])
		assert.Equal(t, "1.50", q["current"].(map[string]any)["points"], "points are decimal strings")
		assert.Equal(t, map[string]any{"choices": []any{"B"}}, q["current"].(map[string]any)["key"])

		edit := singleChoice(0, f.network, "OSPF 属于哪一类动态路由协议？")
		edit["base_version"] = 1
		r = author1.put(path, edit)
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.EqualValues(t, 2, r.json(t)["version"])

		stale := author2.put(path, edit)
		require.Equal(t, http.StatusConflict, stale.status, "%s", stale.body)
		assert.Equal(t, "stale_write", stale.errorCode(t))

		withBank := singleChoice(f.c2Bank, f.network, "换题库")
		assert.Equal(t, http.StatusUnprocessableEntity, author1.put(path, withBank).status, "the bank is fixed")

		versions := author1.get(path + "/versions").json(t)
		assert.EqualValues(t, 2, versions["total"])
		assert.EqualValues(t, 2, versions["items"].([]any)[0].(map[string]any)["version"], "newest first")

		r = author1.post(path+"/transitions", map[string]any{"action": "submit"})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "in_review", r.json(t)["status"])
		assert.Equal(t, false, r.json(t)["approvable"], "the author cannot approve their own version")

		own := author1.post(path+"/transitions", map[string]any{"action": "approve"})
		require.Equal(t, http.StatusForbidden, own.status, "%s", own.body)
		assert.Equal(t, "forbidden", own.errorCode(t))

		assert.Equal(t, true, author2.get(path).json(t)["approvable"])
		r = author2.post(path+"/transitions", map[string]any{"action": "approve", "comment": "核对无误"})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "approved", r.json(t)["status"])

		again := author2.post(path+"/transitions", map[string]any{"action": "approve"})
		assert.Equal(t, http.StatusConflict, again.status, "approving twice is a wrong-status step")
		assert.Equal(t, "conflict", again.errorCode(t))

		var kinds []string
		for _, it := range author1.get(path + "/events").json(t)["items"].([]any) {
			kinds = append(kinds, it.(map[string]any)["kind"].(string))
		}
		assert.Equal(t, []string{"edit", "submit", "approve"}, kinds)

		counts := author1.get(fmt.Sprintf("/api/v1/questions/counts?bank_id=%d", f.provBank)).json(t)
		require.EqualValues(t, 1, counts["total"])
		assert.EqualValues(t, 1, counts["items"].([]any)[0].(map[string]any)["count"])
	})
}

// A rejection needs a reason; editing an approved question sends it back to
// draft.
func TestQuestions_RejectNeedsCommentAndEditReopensReview(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		f := newContentFixture(t, e)
		author1, author2 := e.login("author1"), e.login("author2")
		path := fmt.Sprintf("/api/v1/questions/%d", f.question(t, author1, f.provBank, "以下哪项是 OSPF 的特点？"))
		require.Equal(t, http.StatusOK, author1.post(path+"/transitions", map[string]any{"action": "submit"}).status)

		noReason := author2.post(path+"/transitions", map[string]any{"action": "reject"})
		assert.Equal(t, http.StatusUnprocessableEntity, noReason.status, "%s", noReason.body)
		r := author2.post(path+"/transitions", map[string]any{"action": "reject", "comment": "选项 C 表述不准确"})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "draft", r.json(t)["status"])

		require.Equal(t, http.StatusOK, author1.post(path+"/transitions", map[string]any{"action": "submit"}).status)
		require.Equal(t, http.StatusOK, author2.post(path+"/transitions", map[string]any{"action": "approve"}).status)
		r = author2.put(path, singleChoice(0, f.network, "以下哪项是 OSPF 协议的特点？"))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "draft", r.json(t)["status"], "an edit needs a new review")
		assert.EqualValues(t, 2, r.json(t)["version"])

		c := author2.post(path+"/comments", map[string]any{"comment": "请补充解析"})
		require.Equal(t, http.StatusCreated, c.status, "%s", c.body)
		assert.Equal(t, "comment", c.json(t)["kind"])
		assert.Equal(t, "命题专家乙", c.json(t)["actor_name"])
	})
}

// Questions of a bank outside the caller's scope do not exist for them.
func TestQuestions_OutsideScopeAnswersNotFound(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		f := newContentFixture(t, e)
		author1 := e.login("author1")
		inC2 := f.question(t, author1, f.c2Bank, "临湖县局的题目")
		inProv := f.question(t, author1, f.provBank, "省公司的题目")

		county1, county2 := e.login("county1"), e.login("county2")
		cases := []struct {
			who  *client
			name string
			id   int64
			want int
		}{
			{county1, "county1 on a C2 question", inC2, http.StatusNotFound},
			{county1, "county1 on a province question", inProv, http.StatusOK},
			{county2, "county2 on a C2 question", inC2, http.StatusOK},
		}
		for _, tc := range cases {
			for _, suffix := range []string{"", "/versions", "/events"} {
				r := tc.who.get(fmt.Sprintf("/api/v1/questions/%d%s", tc.id, suffix))
				assert.Equal(t, tc.want, r.status, "%s%s: %s", tc.name, suffix, r.body)
			}
		}
		assert.Equal(t, "not_found", county1.get(fmt.Sprintf("/api/v1/questions/%d", inC2)).errorCode(t))

		listed := itemIDs(t, county1.get("/api/v1/questions?page_size=500"))
		assert.Contains(t, listed, inProv, "the list holds the province question")
		assert.NotContains(t, listed, inC2, "but not the C2 one")
		assert.Equal(t, false, county1.get(fmt.Sprintf("/api/v1/questions/%d", inProv)).json(t)["editable"])
	})
}

const importHeader = "type,topic,stem,option_a,option_b,answer,difficulty,points\n"

// A dry run reports every problem by row and column in the caller's language
// and writes nothing; the confirmed import writes every row.
func TestQuestions_ImportCSVDryRunThenConfirm(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		f := newContentFixture(t, e)
		author1 := e.login("author1")
		good := importHeader +
			"单选题,全业务网络知识,OSPF 属于哪一类路由协议？,距离矢量,链路状态,B,2,1\n" +
			"判断题,维护流程,故障工单应在规定时限内闭环。,,,对,1,\n" +
			"填空题,全业务网络知识,IPv4 地址长度为 ___ 位。,,,32,3,2\n"
		bad := strings.Replace(good, "故障工单应在规定时限内闭环。,,,对,1,", "故障工单应在规定时限内闭环。,,,对,9,", 1)
		target := fmt.Sprintf("/api/v1/questions/import?format=csv&bank_id=%d", f.provBank)

		messages := map[string]string{}
		for _, lang := range []string{"", "en"} {
			author1.lang = lang
			r := author1.upload(target+"&dry_run=true", "questions.csv", []byte(bad))
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			res := r.json(t)
			assert.EqualValues(t, 0, res["imported"])
			errs := res["errors"].([]any)
			require.Len(t, errs, 1, "%s", r.body)
			pe := errs[0].(map[string]any)
			assert.EqualValues(t, 3, pe["row"], "the second question is on row 3")
			assert.Equal(t, "G", pe["column"], "difficulty is column G")
			assert.Equal(t, "difficulty", pe["field"])
			messages[lang] = pe["message"].(string)
		}
		author1.lang = ""
		assert.Regexp(t, hanRune, messages[""], "zh-CN by default")
		assert.NotRegexp(t, hanRune, messages["en"], "English on request")
		assert.NotContains(t, messages["en"], "format.", "a message, not its id")
		assert.EqualValues(t, 0, author1.get(fmt.Sprintf("/api/v1/questions?bank_id=%d", f.provBank)).json(t)["total"], "a dry run writes nothing")

		r := author1.upload(target+"&dry_run=false", "questions.csv", []byte(bad))
		require.Equal(t, http.StatusOK, r.status)
		assert.EqualValues(t, 0, r.json(t)["imported"], "nothing is written while there are errors")

		r = author1.upload(target, "questions.csv", []byte(good))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		dry := r.json(t)
		assert.Empty(t, dry["errors"])
		assert.EqualValues(t, 3, dry["imported"], "the default is a dry run that reports what it would import")
		require.Len(t, dry["preview"], 3)
		assert.Equal(t, "1.00", dry["preview"].([]any)[1].(map[string]any)["points"], "a blank points cell takes the type's default")
		assert.EqualValues(t, 0, author1.get(fmt.Sprintf("/api/v1/questions?bank_id=%d", f.provBank)).json(t)["total"])

		r = author1.upload(target+"&dry_run=false", "questions.csv", []byte(good))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.EqualValues(t, 3, r.json(t)["imported"])
		list := author1.get(fmt.Sprintf("/api/v1/questions?bank_id=%d&status=draft", f.provBank)).json(t)
		assert.EqualValues(t, 3, list["total"], "every row is written, as a draft")

		again := author1.upload(target, "questions.csv", []byte(good)).json(t)
		assert.Len(t, again["duplicates"], 3, "importing the same file again reports near-duplicates")
		assert.Empty(t, again["errors"], "duplicates do not block")
	})
}

// The xlsx export is the import template: it imports back without problems.
func TestQuestions_ExportXLSXReimportsCleanly(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		f := newContentFixture(t, e)
		author1 := e.login("author1")
		f.question(t, author1, f.provBank, "OSPF 属于哪一类路由协议？")
		tf := map[string]any{"bank_id": f.provBank, "topic_id": f.maintenance, "type": "true_false", "stem": "故障工单应在规定时限内闭环。",
			"key": map[string]any{"true": true}}
		require.Equal(t, http.StatusCreated, author1.post("/api/v1/questions", tf).status)
		fb := map[string]any{
			"bank_id":  f.provBank,
			"topic_id": f.network,
			"type":     "fill_blank",
			"stem":     "IPv4 地址长度为 ___ 位，IPv6 为 ___ 位。",
			"key": map[string]any{"blanks": []map[string]any{
				{"accepted": []string{"32", "三十二"}}, {"accepted": []string{"128"}}}},
			"normalization": map[string]any{"fold_width": true, "ignore_case": true, "trim_space": true},
			"difficulty":    4,
			"points":        "2.5",
		}
		require.Equal(t, http.StatusCreated, author1.post("/api/v1/questions", fb).status)

		r := author1.get(fmt.Sprintf("/api/v1/questions/export?format=xlsx&bank_id=%d", f.provBank))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.True(t, bytes.HasPrefix(r.body, []byte("PK\x03\x04")), "an xlsx workbook")
		assert.Contains(t, r.header.Get("Content-Disposition"), "attachment")

		other := f.bank(t, "PROV", "省公司备用题库")
		res := author1.upload(fmt.Sprintf("/api/v1/questions/import?format=xlsx&bank_id=%d&dry_run=false", other), "export.xlsx", r.body)
		require.Equal(t, http.StatusOK, res.status, "%s", res.body)
		out := res.json(t)
		assert.Empty(t, out["errors"])
		assert.Empty(t, out["warnings"])
		assert.EqualValues(t, 3, out["imported"])
		assert.Len(t, out["duplicates"], 3, "each is the same question as one already in the province bank")

		list := author1.get(fmt.Sprintf("/api/v1/questions?bank_id=%d&type=fill_blank", other)).json(t)
		require.EqualValues(t, 1, list["total"])
		fid := int64(list["items"].([]any)[0].(map[string]any)["id"].(float64))
		cur := author1.get(fmt.Sprintf("/api/v1/questions/%d", fid)).json(t)["current"].(map[string]any)
		assert.Equal(t, "2.50", cur["points"])
		assert.EqualValues(t, 4, cur["difficulty"])
		assert.Equal(t, map[string]any{"blanks": []any{
			map[string]any{"accepted": []any{"32", "三十二"}}, map[string]any{"accepted": []any{"128"}}}}, cur["key"])
	})
}

// An image is stored under its content's hash and served with its own type;
// anything that does not decode as an image is refused.
func TestAssets_UploadRealImageRefuseOthers(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		author1 := e.login("author1")
		img := pngBytes(t)
		r := author1.upload("/api/v1/assets", "diagram.png", img)
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		a := r.json(t)
		sum := sha256.Sum256(img)
		assert.Equal(t, "/api/v1/assets/"+hex.EncodeToString(sum[:]), a["url"])
		assert.Regexp(t, `^/api/v1/assets/[0-9a-f]{64}$`, a["url"])
		assert.Equal(t, "image/png", a["content_type"])

		again := author1.upload("/api/v1/assets", "copy.png", img)
		require.Equal(t, http.StatusCreated, again.status)
		assert.Equal(t, a["id"], again.json(t)["id"], "the same bytes share one asset")

		got := e.login("eng001").get(a["url"].(string))
		require.Equal(t, http.StatusOK, got.status, "%s", got.body)
		assert.Equal(t, "image/png", got.header.Get("Content-Type"))
		assert.Equal(t, "nosniff", got.header.Get("X-Content-Type-Options"))
		assert.Equal(t, img, got.body)

		cases := []struct {
			name string
			data []byte
			want int
		}{
			{"text named .png", []byte("just some text, not an image"), http.StatusUnprocessableEntity},
			{"HTML", []byte("<svg onload=alert(1)></svg>"), http.StatusUnprocessableEntity},
			{"truncated PNG", img[:12], http.StatusUnprocessableEntity},
			{"over 2 MB", append(append([]byte{}, img...), make([]byte, 2<<20)...), http.StatusRequestEntityTooLarge},
		}
		for _, tc := range cases {
			r := author1.upload("/api/v1/assets", "x.png", tc.data)
			assert.Equal(t, tc.want, r.status, "%s: %s", tc.name, r.body)
		}
		assert.Equal(t, http.StatusNotFound, author1.get("/api/v1/assets/"+strings.Repeat("0", 64)).status)
		assert.Equal(t, http.StatusNotFound, author1.get("/api/v1/assets/1").status, "ids are not addresses")
		assert.Equal(t, http.StatusUnauthorized, e.client().get(a["url"].(string)).status)
		assert.Equal(t, http.StatusForbidden, e.login("eng001").upload("/api/v1/assets", "x.png", img).status)
	})
}

// Authors write study material; every role reads it.
func TestMaterials_AuthorWritesEveryoneReads(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		f := newContentFixture(t, e)
		author1, eng := e.login("author1"), e.login("eng001")
		body := map[string]any{"topic_id": f.maintenance, "org_unit_id": e.unit("PROV").ID, "title": "故障处理规范",
			"summary": "故障单从受理到闭环的各环节要求。", "sections": []map[string]any{
				{"title": "受理", "body": "<p>10 分钟内响应。</p><script>alert(1)</script>"},
				{"title": "闭环", "body": "<p>回访后方可闭环。</p>"}}}
		r := author1.post("/api/v1/materials", body)
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		m := r.json(t)
		id := jsonID(t, r)
		path := fmt.Sprintf("/api/v1/materials/%d", id)
		secs := m["sections"].([]any)
		require.Len(t, secs, 2)
		assert.NotContains(t, secs[0].(map[string]any)["body"], "<script", "unsafe HTML is removed")
		assert.Equal(t, true, m["editable"])
		keep := int64(secs[1].(map[string]any)["id"].(float64))

		r = eng.get(path)
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "故障处理规范", r.json(t)["title"])
		assert.Equal(t, false, r.json(t)["editable"])
		assert.Contains(t, itemIDs(t, eng.get(fmt.Sprintf("/api/v1/materials?topic_id=%d", f.maintenance))), id)
		assert.NotContains(t, itemIDs(t, eng.get(fmt.Sprintf("/api/v1/materials?topic_id=%d", f.network))), id, "only the topic asked for")

		body["title"] = "故障处理规范（2026 版）"
		body["sections"] = []map[string]any{{"id": keep, "title": "闭环", "body": "<p>回访满意后方可闭环。</p>"}, {"title": "升级", "body": "<p>超时自动升级。</p>"}}
		r = author1.put(path, body)
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		secs = r.json(t)["sections"].([]any)
		require.Len(t, secs, 2)
		assert.EqualValues(t, keep, secs[0].(map[string]any)["id"], "a section saved with its id keeps it")
		assert.EqualValues(t, 1, secs[0].(map[string]any)["position"])
		assert.Equal(t, "故障处理规范（2026 版）", eng.get(path).json(t)["title"])

		refused := eng.post("/api/v1/materials", body)
		assert.Equal(t, http.StatusForbidden, refused.status, "%s", refused.body)
		assert.Equal(t, http.StatusForbidden, eng.put(path, body).status)
		assert.Equal(t, http.StatusForbidden, e.login("county1").put(path, body).status, "a county organiser reads the province's material but does not change it")
	})
}
