package org

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"gorm.io/gorm"

	"skillarena"
)

// Limits of a user import. The transport should cap the request body a little
// above MaxImportFileSize so a larger upload is never read into memory.
const (
	MaxImportFileSize = 5 << 20
	MaxImportRows     = 5000
)

// The unpacked size an xlsx may reach: a 5 MB workbook of plain rows unpacks
// to far less, so anything above is a zip bomb or not a user list.
const (
	importUnzipSizeLimit    = 50 << 20
	importUnzipXMLSizeLimit = 20 << 20
)

// ImportResult is the outcome of ImportUsers. When Errors is not empty nothing
// was written (and nothing would be), so Imported is 0 and Rows is empty.
type ImportResult struct {
	// Imported is the number of users written, or that would be on a dry run.
	Imported int
	// Skipped is the number of blank rows between the header and the last row.
	Skipped int
	Errors  []ImportError
	Rows    []ImportedRow
	// Passwords are the generated initial passwords (rows whose password cell
	// was blank), shown once to the organiser; empty on a dry run.
	Passwords []GeneratedPassword
}

// ImportError is one problem found in the file, at a row (1 is the header) and
// a column (a letter, "" when the problem is not in one cell).
type ImportError struct {
	Row    int
	Column string
	// Field is the column's header as written in the file.
	Field   string
	Message string
	Args    map[string]any
}

// ImportedRow is a user the import wrote, or would write on a dry run.
type ImportedRow struct {
	Row         int
	Username    string
	Name        string
	OrgUnitCode string
}

// GeneratedPassword is the initial password the import chose for a user.
type GeneratedPassword struct {
	Username string
	Password string
}

// importColumn is a column the importer understands, with its headers and
// the help the template shows for it.
type importColumn struct {
	key      string // the field name validateUserFields uses
	zh, en   string
	required bool
	width    float64
	helpZh   string
	helpEn   string
}

// Indexes into importColumns.
const (
	colUsername = iota
	colName
	colEmployeeNo
	colPhone
	colOrgUnitCode
	colPassword
	numImportColumns
)

var importColumns = [numImportColumns]importColumn{
	{key: "username", zh: "用户名", en: "username", required: true, width: 20,
		helpZh: "登录用的用户名：3–64 个字符，以字母或数字开头，只能包含字母、数字、下划线（_）、点（.）和连字符（-）；不能与已有用户或本文件其他行重复。",
		helpEn: "The name used to sign in: 3–64 characters, starting with a letter or digit, using only letters, digits, underscore, dot and hyphen; it must not match an existing user or another row of this file."},
	{key: "name", zh: "姓名", en: "name", required: true, width: 14,
		helpZh: "真实姓名，最多 100 个字。",
		helpEn: "Full name, up to 100 characters."},
	{key: "employee_no", zh: "工号", en: "employee_no", width: 16,
		helpZh: "选填。工号，最多 32 个字母、数字、下划线或连字符。",
		helpEn: "Optional. Employee number: up to 32 letters, digits, underscores or hyphens."},
	{key: "phone", zh: "手机", en: "phone", width: 18,
		helpZh: "选填。手机号码，可以 + 开头，可含空格或连字符。",
		helpEn: "Optional. Mobile number; it may start with + and contain spaces or hyphens."},
	{key: "org_unit_code", zh: "单位代码", en: "org_unit_code", required: true, width: 18,
		helpZh: "用户所属单位的代码（见“组织架构”页面），必须是您有权管理的单位。",
		helpEn: "The code of the user's org unit (see the Organisation page); it must be a unit you manage."},
	{key: "password", zh: "初始密码", en: "password", width: 18,
		helpZh: "选填。8–128 个字符，至少包含一个字母和一个数字。留空则由系统生成，导入完成后只显示一次。",
		helpEn: "Optional. 8–128 characters with at least one letter and one digit. Leave it blank and the system generates one, shown once when the import is done."},
}

// title is the header the template writes: Chinese and English together.
func (c importColumn) title() string { return c.zh + " " + c.en }

// ImportUsers creates the users listed in an xlsx workbook (its first sheet)
// or a CSV file, all in one transaction or not at all. Row 1 holds the
// headers, matched in Chinese or English; each row is checked as CreateUser
// checks its input, and its unit, given by code, must lie inside scope.
// Blank passwords are generated and returned once. Any row error, or dryRun,
// means nothing is written; the errors come back in the result, not as err.
// A file that cannot be read at all returns EINVALID (import.unsupported_file,
// import.corrupt_xlsx, import.csv_syntax, import.too_many_rows,
// import.empty_file) or ETOOLARGE (import.file_too_large).
func (s *Service) ImportUsers(ctx context.Context, scope Scope, file []byte, filename string, dryRun bool) (ImportResult, error) {
	t, err := readImportFile(file, filename)
	if err != nil {
		return ImportResult{}, err
	}
	res := ImportResult{Skipped: t.skipped, Errors: t.headerErrs}
	if len(res.Errors) > 0 {
		return res, nil
	}
	users, errs, err := s.checkImportRecords(ctx, scope, t)
	if err != nil {
		return ImportResult{}, err
	}
	if len(errs) > 0 {
		res.Errors = errs
		return res, nil
	}
	for _, u := range users {
		res.Rows = append(res.Rows, ImportedRow{Row: u.row, Username: u.in.Username, Name: u.in.Name, OrgUnitCode: u.code})
	}
	if dryRun {
		res.Imported = len(users)
		return res, nil
	}

	passwords := make([]string, len(users))
	for i := range users {
		if users[i].in.Password == "" {
			users[i].in.Password = GeneratePassword()
			res.Passwords = append(res.Passwords, GeneratedPassword{Username: users[i].in.Username, Password: users[i].in.Password})
		}
		passwords[i] = users[i].in.Password
	}
	hashes, err := s.hashImportPasswords(ctx, passwords)
	if err != nil {
		return ImportResult{}, err
	}
	var raceErrs []ImportError
	err = s.transaction(ctx, func(tx *gorm.DB) error {
		for i, u := range users {
			if _, err := s.insertUser(ctx, tx, &scope, u.in, hashes[i]); err != nil {
				// Another request took the username or removed the unit
				// since the check above: report it on its row.
				var e *skillarena.Error
				if errors.As(err, &e) && len(e.Fields) > 0 {
					for field, msg := range e.Fields {
						col := colUsername
						if field == "org_unit_id" {
							col = colOrgUnitCode
						}
						raceErrs = append(raceErrs, t.header.cellError(u.row, col, msg, nil))
					}
				}
				return err
			}
		}
		return nil
	})
	if len(raceErrs) > 0 {
		return ImportResult{Skipped: t.skipped, Errors: raceErrs}, nil
	}
	if err != nil {
		return ImportResult{}, dbError(err, "import users")
	}
	res.Imported = len(users)
	return res, nil
}

// importUser is a row that passed every check, ready to insert.
type importUser struct {
	row  int
	code string
	in   UserInput
}

// checkImportRecords applies CreateUser's rules to every row, plus the rules of
// a file: a username only once, units by code inside scope, no formulas.
func (s *Service) checkImportRecords(ctx context.Context, scope Scope, t *importTable) ([]importUser, []ImportError, error) {
	h := &t.header
	errs := t.formulaErrs
	users := make([]importUser, 0, len(t.records))
	ok := make([]bool, len(t.records))
	firstRow := map[string]int{}
	var codes []string
	seenCode := map[string]bool{}
	for i, r := range t.records {
		rowErrs := len(errs)
		for col := range numImportColumns {
			if r.formula[col] || strings.HasPrefix(r.values[col], "=") {
				errs = append(errs, h.cellError(r.row, col, "import.formula_cell", nil))
			}
		}
		if len(errs) > rowErrs {
			// A formula's cached value is not what the user typed; other
			// messages about it would only confuse.
			continue
		}
		v := r.values
		fields := validateUserFields(v[colUsername], v[colName], v[colEmployeeNo], v[colPhone])
		if v[colPassword] != "" {
			if m := ValidatePassword(v[colPassword]); m != "" {
				fields["password"] = m
			}
		}
		if v[colOrgUnitCode] == "" {
			fields["org_unit_code"] = "field.required"
		}
		if _, bad := fields["username"]; !bad {
			if first, dup := firstRow[v[colUsername]]; dup {
				errs = append(errs, h.cellError(r.row, colUsername, "import.duplicate_in_file", map[string]any{"Row": first}))
			} else {
				firstRow[v[colUsername]] = r.row
			}
		}
		for col := range numImportColumns {
			if m, bad := fields[importColumns[col].key]; bad {
				errs = append(errs, h.cellError(r.row, col, m, nil))
			}
		}
		if c := v[colOrgUnitCode]; c != "" && !seenCode[c] {
			seenCode[c] = true
			codes = append(codes, c)
		}
		ok[i] = len(errs) == rowErrs
	}

	units, err := s.importUnitsByCode(ctx, codes)
	if err != nil {
		return nil, nil, err
	}
	var names []string
	for i, r := range t.records {
		if ok[i] {
			names = append(names, r.values[colUsername])
		}
	}
	taken, err := s.importTakenUsernames(ctx, names)
	if err != nil {
		return nil, nil, err
	}
	for i, r := range t.records {
		if !ok[i] {
			continue
		}
		v := r.values
		if taken[v[colUsername]] {
			errs = append(errs, h.cellError(r.row, colUsername, "user.username_taken", nil))
			ok[i] = false
		}
		// One answer for a code that does not exist and one in another
		// county, so the import does not reveal other counties' codes.
		u, found := units[v[colOrgUnitCode]]
		if !found || !scope.Contains(u.Path) {
			errs = append(errs, h.cellError(r.row, colOrgUnitCode, "org.unit.unknown", nil))
			ok[i] = false
		}
		if ok[i] {
			users = append(users, importUser{row: r.row, code: v[colOrgUnitCode], in: UserInput{
				Username: v[colUsername], Name: v[colName], EmployeeNo: v[colEmployeeNo], Phone: v[colPhone],
				OrgUnitID: u.ID, Password: v[colPassword],
			}})
		}
	}
	sort.SliceStable(errs, func(i, j int) bool {
		if errs[i].Row != errs[j].Row {
			return errs[i].Row < errs[j].Row
		}
		return len(errs[i].Column) < len(errs[j].Column) || (len(errs[i].Column) == len(errs[j].Column) && errs[i].Column < errs[j].Column)
	})
	return users, errs, nil
}

// importQueryChunk bounds the values in one IN (...) list.
const importQueryChunk = 500

func (s *Service) importUnitsByCode(ctx context.Context, codes []string) (map[string]Unit, error) {
	out := map[string]Unit{}
	for chunk := range importChunks(codes, importQueryChunk) {
		var us []Unit
		if err := s.db.WithContext(ctx).Where("code IN ?", chunk).Find(&us).Error; err != nil {
			return nil, fmt.Errorf("import: load units: %w", err)
		}
		for _, u := range us {
			out[u.Code] = u
		}
	}
	return out, nil
}

func (s *Service) importTakenUsernames(ctx context.Context, names []string) (map[string]bool, error) {
	out := map[string]bool{}
	for chunk := range importChunks(names, importQueryChunk) {
		var found []string
		if err := s.db.WithContext(ctx).Model(&User{}).Where("username IN ?", chunk).Pluck("username", &found).Error; err != nil {
			return nil, fmt.Errorf("import: load usernames: %w", err)
		}
		for _, n := range found {
			out[n] = true
		}
	}
	return out, nil
}

func importChunks(xs []string, n int) func(yield func([]string) bool) {
	return func(yield func([]string) bool) {
		for len(xs) > 0 {
			k := min(n, len(xs))
			if !yield(xs[:k]) {
				return
			}
			xs = xs[k:]
		}
	}
}

// maxImportHashWorkers bounds the hashes computed at once: each holds the argon2
// memory cost (19 MiB by default).
const maxImportHashWorkers = 4

// hashImportPasswords hashes the passwords on several cores before the transaction opens,
// since at about 25 ms a hash 5,000 rows take two minutes on one core.
func (s *Service) hashImportPasswords(ctx context.Context, passwords []string) ([]string, error) {
	hashes := make([]string, len(passwords))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), maxImportHashWorkers, len(passwords)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(passwords) || ctx.Err() != nil {
					return
				}
				hashes[i] = s.hasher.Hash(passwords[i])
			}
		})
	}
	wg.Wait()
	return hashes, ctx.Err()
}

// importHeader maps the importer's columns to the file's.
type importHeader struct {
	row   int
	index [numImportColumns]int // 0-based column in the file, -1 when absent
	title [numImportColumns]string
}

// cellError is an error in the cell of row under one of the importer's columns.
func (h *importHeader) cellError(row, col int, msg string, args map[string]any) ImportError {
	e := ImportError{Row: row, Field: h.title[col], Message: msg, Args: args}
	if h.index[col] >= 0 {
		e.Column = importColumnLetter(h.index[col])
	}
	return e
}

func importColumnLetter(index int) string {
	name, _ := excelize.ColumnNumberToName(index + 1)
	return name
}

// parseImportHeader finds the importer's columns among the cells of the header
// row; columns it does not know are ignored.
func parseImportHeader(row int, cells []string) (importHeader, []ImportError) {
	h := importHeader{row: row}
	for i := range h.index {
		h.index[i] = -1
	}
	var errs []ImportError
	for i, cell := range cells {
		col := matchImportColumn(cell)
		if col < 0 {
			continue
		}
		title := strings.TrimSpace(cell)
		if h.index[col] >= 0 {
			errs = append(errs, ImportError{Row: row, Column: importColumnLetter(i), Field: title, Message: "import.duplicate_column",
				Args: map[string]any{"Column": title}})
			continue
		}
		h.index[col], h.title[col] = i, title
	}
	for col, c := range importColumns {
		if c.required && h.index[col] < 0 {
			errs = append(errs, ImportError{Row: row, Message: "import.missing_column", Args: map[string]any{"Column": c.title()}})
		}
	}
	return h, errs
}

// matchImportColumn returns the index of the column a header names, or -1. A
// header may give the Chinese or the English name in any case ("用户名",
// "Username", "Org Unit Code"), or both ("用户名 username", "用户名/username",
// "用户名(username)"), and a "*" that marks it required.
func matchImportColumn(header string) int {
	h := normaliseImportHeader(header)
	for i, c := range importColumns {
		zh, en := normaliseImportHeader(c.zh), normaliseImportHeader(c.en)
		if h == zh || h == en || h == zh+" "+en || h == en+" "+zh {
			return i
		}
	}
	return -1
}

// normaliseImportHeader lowercases a header, turns punctuation and runs of space
// into one space, and separates Chinese from Latin letters.
func normaliseImportHeader(s string) string {
	var b strings.Builder
	space, prevHan := false, false
	for _, r := range strings.ToLower(s) {
		if unicode.IsSpace(r) || strings.ContainsRune("_-/|()（）[]【】、,，:：;；.。*＊", r) {
			space = true
			continue
		}
		han := unicode.Is(unicode.Han, r)
		if b.Len() > 0 && (space || han != prevHan) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		space, prevHan = false, han
	}
	return b.String()
}

// importRecord is a non-blank data row: the values under the importer's
// columns, trimmed, and which of them are formulas.
type importRecord struct {
	row     int
	values  [numImportColumns]string
	formula [numImportColumns]bool
}

// importTable collects the rows of a file as they are read, so reading can
// stop as soon as the file is known to be too long or to lack a column.
type importTable struct {
	haveHeader bool
	header     importHeader
	headerErrs []ImportError
	// formulaErrs are formulas in rows that look blank (see markImportFormulas).
	formulaErrs []ImportError
	records     []importRecord
	last        int
	skipped     int
}

// errStopReading ends reading early once the header is known to be wrong.
var errStopReading = errors.New("import: stop reading")

// add takes the next row read, numbered as the spreadsheet numbers it. The
// first non-blank row is the header.
func (t *importTable) add(row int, cells []string) error {
	if row <= t.last {
		return errors.New("import: rows out of order")
	}
	if !t.haveHeader {
		for _, c := range cells {
			if strings.TrimSpace(c) != "" {
				t.haveHeader, t.last = true, row
				t.header, t.headerErrs = parseImportHeader(row, cells)
				if len(t.headerErrs) > 0 {
					return errStopReading
				}
				return nil
			}
		}
		return nil
	}
	r := importRecord{row: row}
	blank := true
	for col, i := range t.header.index {
		if i >= 0 && i < len(cells) {
			r.values[col] = strings.TrimSpace(cells[i])
			blank = blank && r.values[col] == ""
		}
	}
	if blank {
		return nil
	}
	if len(t.records) == MaxImportRows {
		return skillarena.NewError(skillarena.EINVALID, "import.too_many_rows", map[string]any{"Max": MaxImportRows})
	}
	t.skipped += row - t.last - 1
	t.last = row
	t.records = append(t.records, r)
	return nil
}

// readImportFile reads the header and data rows of an upload, telling the
// format from its content: a zip archive named .xlsx, or text named .csv.
func readImportFile(file []byte, filename string) (*importTable, error) {
	if len(file) > MaxImportFileSize {
		return nil, skillarena.NewError(skillarena.ETOOLARGE, "import.file_too_large", map[string]any{"MaxMB": MaxImportFileSize >> 20})
	}
	name := strings.ToLower(strings.TrimSpace(filename))
	t := &importTable{}
	var err error
	switch {
	case bytes.HasPrefix(file, []byte("PK\x03\x04")) && strings.HasSuffix(name, ".xlsx"):
		err = readImportXLSX(file, t)
	case strings.HasSuffix(name, ".csv"):
		err = readImportCSV(file, t)
	default:
		err = errUnsupportedFile()
	}
	if err != nil && !errors.Is(err, errStopReading) {
		return nil, err
	}
	if !t.haveHeader || (len(t.headerErrs) == 0 && len(t.records) == 0) {
		return nil, skillarena.NewError(skillarena.EINVALID, "import.empty_file", nil)
	}
	return t, nil
}

func errUnsupportedFile() error {
	return skillarena.NewError(skillarena.EINVALID, "import.unsupported_file", nil)
}

func errCorruptXLSX() error {
	return skillarena.NewError(skillarena.EINVALID, "import.corrupt_xlsx", nil)
}

// readImportCSV reads UTF-8 text (with or without a byte order mark) or, when
// the bytes are not UTF-8, GB18030, which is what Chinese Excel saves as "CSV".
func readImportCSV(file []byte, t *importTable) error {
	data := bytes.TrimPrefix(file, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(data, 0) >= 0 {
		return errUnsupportedFile() // binary, or UTF-16
	}
	if !utf8.Valid(data) {
		decoded, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(decoded, utf8.RuneError) {
			return errUnsupportedFile()
		}
		data = decoded
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	// A spreadsheet shows a quoted field's line breaks inside one row, so the
	// row number is the line number less the breaks of earlier records.
	breaks := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return skillarena.NewError(skillarena.EINVALID, "import.csv_syntax", map[string]any{"Row": pe.StartLine - breaks})
		} else if err != nil {
			return err
		}
		line, _ := r.FieldPos(0)
		if err := t.add(line-breaks, rec); err != nil {
			return err
		}
		for _, f := range rec {
			breaks += strings.Count(f, "\n")
		}
	}
}

// readImportXLSX reads the first sheet of a workbook row by row. Excelize
// refuses archives that declare more than the unzip limits; verifyImportZip catches
// those that lie about their size or are damaged, which excelize would read
// silently cut short.
func readImportXLSX(file []byte, t *importTable) error {
	f, err := excelize.OpenReader(bytes.NewReader(file), excelize.Options{UnzipSizeLimit: importUnzipSizeLimit, UnzipXMLSizeLimit: importUnzipXMLSizeLimit})
	if err != nil {
		return errCorruptXLSX()
	}
	defer f.Close()
	zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil || verifyImportZip(zr) != nil {
		return errCorruptXLSX()
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return errCorruptXLSX()
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return errCorruptXLSX()
	}
	defer rows.Close()
	// Rows visits every row number in turn, absent rows included.
	for row := 1; rows.Next(); row++ {
		cells, err := rows.Columns()
		if err != nil {
			return errCorruptXLSX()
		}
		if err := t.add(row, cells); err != nil {
			if errors.Is(err, errStopReading) || skillarena.ErrorCode(err) != skillarena.EINTERNAL {
				return err
			}
			return errCorruptXLSX()
		}
	}
	if rows.Error() != nil {
		return errCorruptXLSX()
	}
	if len(t.records) == 0 {
		return nil
	}
	if err := markImportFormulas(zr, t); err != nil {
		return errCorruptXLSX()
	}
	return nil
}

// verifyImportZip reads every entry of the archive to its end, which checks that no
// entry unpacks beyond the size it declares and that every checksum matches.
// The declared sizes were already bounded by excelize.
func verifyImportZip(zr *zip.Reader) error {
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// markImportFormulas flags the records' cells that hold a formula. Excelize's row
// iterator gives only a formula's cached value (empty when the file was not
// calculated), so the first sheet's XML is scanned for <f> elements up to the
// last record.
func markImportFormulas(zr *zip.Reader, t *importTable) error {
	sheet, err := xlsxFirstSheetPath(zr)
	if err != nil {
		return err
	}
	zf := xlsxPart(zr, sheet)
	if zf == nil {
		return errors.New("import: first sheet missing")
	}
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	colOf := map[int]int{} // 1-based column in the file → importer's column
	for col, i := range t.header.index {
		if i >= 0 {
			colOf[i+1] = col
		}
	}
	recordAt := make(map[int]*importRecord, len(t.records))
	for i := range t.records {
		recordAt[t.records[i].row] = &t.records[i]
	}
	dec := xml.NewDecoder(rc)
	row, col := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch el.Name.Local {
		case "row":
			row++
			if r := xlsxAttr(el, "r"); r != "" {
				if row, err = strconv.Atoi(r); err != nil {
					return err
				}
			}
			col = 0
			if row > t.last {
				return nil
			}
		case "c":
			col++
			if r := xlsxAttr(el, "r"); r != "" {
				if col, _, err = excelize.CellNameToCoordinates(r); err != nil {
					return err
				}
			}
		case "f":
			c, known := colOf[col]
			if !known {
				continue
			}
			if rec := recordAt[row]; rec != nil {
				rec.formula[c] = true
			} else {
				// A formula with no cached value leaves a row that looks
				// blank; it is still not data the importer can trust.
				t.formulaErrs = append(t.formulaErrs, t.header.cellError(row, c, "import.formula_cell", nil))
			}
		}
	}
}

// xlsxFirstSheetPath finds the part holding the workbook's first sheet, as
// excelize does: package relationships → workbook → its relationships.
func xlsxFirstSheetPath(zr *zip.Reader) (string, error) {
	workbook := "xl/workbook.xml"
	if rels, err := xlsxRelationships(zr, "_rels/.rels"); err == nil {
		for _, r := range rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				workbook = strings.TrimPrefix(r.Target, "/")
				break
			}
		}
	}
	zf := xlsxPart(zr, workbook)
	if zf == nil {
		return "", errors.New("import: workbook missing")
	}
	rc, err := zf.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	rid := ""
	for rid == "" {
		tok, err := dec.Token()
		if err != nil {
			return "", err
		}
		if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "sheet" {
			// r:id, whose namespace differs between transitional and strict files.
			for _, a := range el.Attr {
				if a.Name.Local == "id" && a.Name.Space != "" {
					rid = a.Value
				}
			}
			if rid == "" {
				return "", errors.New("import: sheet without relationship")
			}
		}
	}
	rels, err := xlsxRelationships(zr, path.Join(path.Dir(workbook), "_rels", path.Base(workbook)+".rels"))
	if err != nil {
		return "", err
	}
	for _, r := range rels {
		if r.ID == rid {
			if strings.HasPrefix(r.Target, "/") {
				return path.Clean(strings.TrimPrefix(r.Target, "/")), nil
			}
			return path.Join(path.Dir(workbook), r.Target), nil
		}
	}
	return "", errors.New("import: first sheet not found")
}

type xlsxRelationship struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
}

func xlsxRelationships(zr *zip.Reader, name string) ([]xlsxRelationship, error) {
	zf := xlsxPart(zr, name)
	if zf == nil {
		return nil, errors.New("import: missing " + name)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var rels struct {
		Relationships []xlsxRelationship `xml:"Relationship"`
	}
	err = xml.NewDecoder(rc).Decode(&rels)
	return rels.Relationships, err
}

// xlsxPart finds a part by name; like excelize, it accepts backslashes and
// any case.
func xlsxPart(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if strings.EqualFold(strings.ReplaceAll(f.Name, `\`, "/"), name) {
			return f
		}
	}
	return nil
}

func xlsxAttr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// UserImportTemplate returns the xlsx workbook organisers fill in: the first
// sheet has the header row (Chinese and English in each cell, required
// columns in red) with data from row 2, then a sheet of examples and a sheet
// explaining each column. ImportUsers reads only the first sheet.
func UserImportTemplate() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const (
		usersSheet    = "用户 Users"
		examplesSheet = "示例 Examples"
		helpSheet     = "说明 Instructions"
	)
	if err := f.SetSheetName("Sheet1", usersSheet); err != nil {
		return nil, err
	}
	for _, name := range []string{examplesSheet, helpSheet} {
		if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
	}
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	headerStyle := func(required bool) (int, error) {
		font := &excelize.Font{Bold: true, Color: "1F1F1F"}
		if required {
			font.Color = "C00000"
		}
		return f.NewStyle(&excelize.Style{Font: font, Border: border, NumFmt: 49,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	}
	required, err := headerStyle(true)
	if err != nil {
		return nil, err
	}
	optional, err := headerStyle(false)
	if err != nil {
		return nil, err
	}
	// Text format keeps what is typed: leading zeros of employee numbers, long
	// phone numbers.
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return nil, err
	}
	wrap, err := f.NewStyle(&excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}

	header := func(sheet string) error {
		for i, c := range importColumns {
			col := importColumnLetter(i)
			if err := f.SetColWidth(sheet, col, col, c.width); err != nil {
				return err
			}
			if err := f.SetColStyle(sheet, col, text); err != nil {
				return err
			}
			cell := col + "1"
			if err := f.SetCellStr(sheet, cell, c.title()); err != nil {
				return err
			}
			style := optional
			if c.required {
				style = required
			}
			if err := f.SetCellStyle(sheet, cell, cell, style); err != nil {
				return err
			}
		}
		if err := f.SetRowHeight(sheet, 1, 22); err != nil {
			return err
		}
		return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	}
	if err := header(usersSheet); err != nil {
		return nil, err
	}
	if err := header(examplesSheet); err != nil {
		return nil, err
	}
	examples := [][numImportColumns]string{
		{"zhangwei", "张伟", "E10001", "13800000001", "NJ-GL", "Welcome2026"},
		{"lina", "李娜", "E10002", "13800000002", "NJ-GL", ""},
		{"wangfang", "王芳", "", "", "NJ-XW", ""},
	}
	for r, ex := range examples {
		for c, v := range ex {
			if err := f.SetCellStr(examplesSheet, fmt.Sprintf("%s%d", importColumnLetter(c), r+2), v); err != nil {
				return nil, err
			}
		}
	}

	help := [][]string{{"列 Column", "必填 Required", "说明", "Description"}}
	for _, c := range importColumns {
		req := "选填 Optional"
		if c.required {
			req = "必填 Required"
		}
		help = append(help, []string{c.title(), req, c.helpZh, c.helpEn})
	}
	help = append(help, []string{},
		[]string{"", "", "只读取第一个工作表“" + usersSheet + "”：第 1 行是表头，数据从第 2 行开始，请勿删除或改动表头。",
			"Only the first sheet, \"" + usersSheet + "\", is read: row 1 is the header and data starts at row 2; keep the header as it is."},
		[]string{"", "", "红色表头为必填列。列的顺序不限，按表头识别（中文或英文均可）；其他列会被忽略。",
			"Red headers are required. Columns may be in any order: they are recognised by their header, in Chinese or English; other columns are ignored."},
		[]string{"", "", fmt.Sprintf("每个文件最多 %d 行、不超过 %d MB；空行会被跳过。不能使用公式，请直接填写值。", MaxImportRows, MaxImportFileSize>>20),
			fmt.Sprintf("At most %d rows and %d MB per file; blank rows are skipped. Formulas are not accepted: type the values.", MaxImportRows, MaxImportFileSize>>20)},
		[]string{"", "", "只要有一行出错，整个文件都不会导入：请按错误列表修改后重新上传。",
			"If any row has an error nothing is imported: fix the rows listed and upload the file again."},
		[]string{"", "", "也可以上传相同表头的 CSV 文件（UTF-8 或 GB18030 编码）。",
			"A CSV file with the same header (UTF-8 or GB18030) is accepted too."},
	)
	for r, line := range help {
		for c, v := range line {
			if err := f.SetCellStr(helpSheet, fmt.Sprintf("%s%d", importColumnLetter(c), r+1), v); err != nil {
				return nil, err
			}
		}
	}
	for col, width := range map[string]float64{"A": 20, "B": 16, "C": 60, "D": 70} {
		if err := f.SetColWidth(helpSheet, col, col, width); err != nil {
			return nil, err
		}
	}
	if err := f.SetCellStyle(helpSheet, "A1", fmt.Sprintf("D%d", len(help)), wrap); err != nil {
		return nil, err
	}
	if err := f.SetCellStyle(helpSheet, "A1", "D1", optional); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
