package scoring

import (
	"cmp"
	"encoding/json"
	"errors"
	"math/big"
	"slices"

	"gorm.io/gorm"

	"skillarena"
)

// book is a stage's practical round read in one go (or one contestant's
// part of it): what every rule about marks needs.
type book struct {
	stage    Stage
	set      Settings
	path     string // the stage unit's path
	entries  []practicalEntry
	placed   map[int64]PracticalContestant
	stations map[int64]Station
	tasks    map[int64]Task
	judges   map[int64][]judgeInfo // by station
	marks    map[int64][]Mark      // by contestant, by judge then criterion
}

// judgeInfo is a station's judge with their own unit's path.
type judgeInfo struct {
	StationID int64
	UserID    int64
	Username  string
	Name      string
	Path      string
	Chief     bool
}

// loadBook reads a stage's practical round; only, when not 0, restricts the
// contestants and marks to one contestant.
func loadBook(db *gorm.DB, stageID, only int64) (*book, error) {
	b := &book{placed: map[int64]PracticalContestant{}, stations: map[int64]Station{}, tasks: map[int64]Task{},
		judges: map[int64][]judgeInfo{}, marks: map[int64][]Mark{}}
	if err := db.Where("id = ?", stageID).Take(&b.stage).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, skillarena.NotFound("stage")
	} else if err != nil {
		return nil, err
	}
	b.set = b.stage.Settings()
	if err := db.Table("org_units").Where("id = ?", b.stage.OrgUnitID).Pluck("path", &b.path).Error; err != nil {
		return nil, err
	}
	entries, err := practicalEntries(db, b.stage)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if only == 0 || e.UserID == only {
			b.entries = append(b.entries, e)
		}
	}
	var placed []PracticalContestant
	q := db.Where("stage_id = ?", stageID)
	if only != 0 {
		q = q.Where("user_id = ?", only)
	}
	if err := q.Find(&placed).Error; err != nil {
		return nil, err
	}
	for _, p := range placed {
		b.placed[p.UserID] = p
	}
	var stations []Station
	if err := db.Where("stage_id = ?", stageID).Find(&stations).Error; err != nil {
		return nil, err
	}
	for _, s := range stations {
		b.stations[s.ID] = s
	}
	var tasks []Task
	if err := db.Where("stage_id = ?", stageID).Find(&tasks).Error; err != nil {
		return nil, err
	}
	for _, t := range tasks {
		b.tasks[t.ID] = t
	}
	var judges []judgeInfo
	if err := db.Table("practical_judges").
		Select("practical_judges.station_id, practical_judges.user_id, practical_judges.chief, users.username, users.name, org_units.path").
		Joins("JOIN users ON users.id = practical_judges.user_id").Joins("JOIN org_units ON org_units.id = users.org_unit_id").
		Where("practical_judges.stage_id = ?", stageID).Order("practical_judges.user_id").Scan(&judges).Error; err != nil {
		return nil, err
	}
	for _, j := range judges {
		b.judges[j.StationID] = append(b.judges[j.StationID], j)
	}
	var marks []Mark
	q = db.Where("stage_id = ?", stageID)
	if only != 0 {
		q = q.Where("contestant_id = ?", only)
	}
	if err := q.Order("contestant_id, judge_id, criterion_id").Find(&marks).Error; err != nil {
		return nil, err
	}
	for _, m := range marks {
		b.marks[m.ContestantID] = append(b.marks[m.ContestantID], m)
	}
	return b, nil
}

// judgePath returns a judge's unit path from the panels ("" if not a judge
// of the stage).
func (b *book) judgePath(userID int64) string {
	for _, js := range b.judges {
		for _, j := range js {
			if j.UserID == userID {
				return j.Path
			}
		}
	}
	return ""
}

// sheet is one judge's marks of one contestant.
type sheet struct {
	Judge     judgeInfo
	Marks     []Mark
	Total     skillarena.Points
	SignedOff bool
}

// contestantView is one practical contestant: station, task, panel and the
// judges' sheets.
type contestantView struct {
	entry   practicalEntry
	placed  bool
	station Station
	task    Task
	// panel are the station's judges without a conflict of interest with
	// the contestant; conflicted are the others.
	panel, conflicted []judgeInfo
	sheets            map[int64]*sheet // by judge id, every judge with marks
	resolvedTotals    *string
}

// view returns a contestant's view; false when they are not a practical
// contestant of the stage.
func (b *book) view(userID int64) (contestantView, bool) {
	i := slices.IndexFunc(b.entries, func(e practicalEntry) bool { return e.UserID == userID })
	if i < 0 {
		return contestantView{}, false
	}
	v := contestantView{entry: b.entries[i], sheets: map[int64]*sheet{}}
	p, ok := b.placed[userID]
	if ok {
		v.placed = true
		v.station = b.stations[p.StationID]
		v.task = b.tasks[v.station.TaskID]
		v.resolvedTotals = p.ResolvedTotalsJSON
		for _, j := range b.judges[p.StationID] {
			if ConflictOfInterest(b.path, j.Path, v.entry.LinePath) {
				v.conflicted = append(v.conflicted, j)
			} else {
				v.panel = append(v.panel, j)
			}
		}
	}
	criteria := len(v.task.Criteria())
	for _, m := range b.marks[userID] {
		sh := v.sheets[m.JudgeID]
		if sh == nil {
			sh = &sheet{Judge: judgeInfo{UserID: m.JudgeID}, SignedOff: true}
			for _, js := range b.judges {
				for _, j := range js {
					if j.UserID == m.JudgeID {
						sh.Judge = j
					}
				}
			}
			v.sheets[m.JudgeID] = sh
		}
		sh.Marks = append(sh.Marks, m)
		sh.Total += m.Points
		sh.SignedOff = sh.SignedOff && m.SignedOffAt != nil
	}
	for _, sh := range v.sheets {
		sh.SignedOff = sh.SignedOff && len(sh.Marks) >= criteria && criteria > 0
	}
	return v, true
}

// onPanel reports whether judgeID is on the contestant's panel.
func (v contestantView) onPanel(judgeID int64) bool {
	return slices.ContainsFunc(v.panel, func(j judgeInfo) bool { return j.UserID == judgeID })
}

// signed returns the signed-off sheets by judge id.
func (v contestantView) signed() []*sheet {
	var out []*sheet
	for _, sh := range v.sheets {
		if sh.SignedOff {
			out = append(out, sh)
		}
	}
	slices.SortFunc(out, func(a, b *sheet) int { return cmp.Compare(a.Judge.UserID, b.Judge.UserID) })
	return out
}

// panelDone reports whether every judge of the panel has signed off (and
// the panel is not empty).
func (v contestantView) panelDone() bool {
	if len(v.panel) == 0 {
		return false
	}
	for _, j := range v.panel {
		if sh := v.sheets[j.UserID]; sh == nil || !sh.SignedOff {
			return false
		}
	}
	return true
}

// spread is the highest signed-off total minus the lowest.
func (v contestantView) spread() skillarena.Points {
	s := v.signed()
	if len(s) == 0 {
		return 0
	}
	lo, hi := s[0].Total, s[0].Total
	for _, sh := range s {
		lo, hi = min(lo, sh.Total), max(hi, sh.Total)
	}
	return hi - lo
}

// totalsKey is the signed-off totals as canonical JSON, [[judge, total], …],
// which a resolution stores.
func (v contestantView) totalsKey() string {
	var pairs [][2]int64
	for _, sh := range v.signed() {
		pairs = append(pairs, [2]int64{sh.Judge.UserID, int64(sh.Total)})
	}
	b, _ := json.Marshal(pairs)
	return string(b)
}

// Discrepant is DOMAIN.md's flag for the chief judge: once every judge of the
// panel has signed off, their totals differ by more than the stage's
// threshold (highest minus lowest), and the chief judge has not accepted
// these very totals.
func (v contestantView) discrepant(threshold skillarena.Points) bool {
	if !v.panelDone() || v.spread() <= threshold {
		return false
	}
	return v.resolvedTotals == nil || *v.resolvedTotals != v.totalsKey()
}

// exact is the contestant's score from the signed-off totals by the stage's
// aggregation (nil for none).
func (v contestantView) exact(rule Aggregation) *big.Rat {
	var totals []skillarena.Points
	for _, sh := range v.signed() {
		totals = append(totals, sh.Total)
	}
	return JudgesScore(totals, rule)
}
