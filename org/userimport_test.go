package org_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/database/dbtest"
	"skillarena/org"
)

// Regenerate frontend/e2e/fixtures/users-3.xlsx with
// go test ./org/ -run TestUserImportFixture -update-import-fixture
var updateImportFixture = flag.Bool("update-import-fixture", false, "rewrite frontend/e2e/fixtures/users-3.xlsx")

const importFixturePath = "../frontend/e2e/fixtures/users-3.xlsx"

var (
	importHeaderEN = []string{"username", "name", "employee_no", "phone", "org_unit_code", "password"}
	importHeaderZH = []string{"用户名", "姓名", "工号", "手机", "单位代码", "初始密码"}
)

// importEnv is a province P with two counties, C1 and C2; the caller
// organises C1.
type importEnv struct {
	svc    *org.Service
	ctx    context.Context
	scope  org.Scope
	c1, c2 org.Unit
}

func newImportEnv(t *testing.T, db *gorm.DB, clock skillarena.Clock) importEnv {
	t.Helper()
	ctx := skillarena.WithActor(context.Background(), skillarena.Actor{UserID: 0, Username: "organiser", IP: "127.0.0.1"})
	svc := org.NewService(db, clock, org.Options{Hasher: org.NewHasher(org.Argon2Params{Memory: 64, Time: 1, Threads: 1})})
	p, err := svc.CreateUnit(ctx, nil, org.UnitInput{Name: "省公司", Code: "P"})
	require.NoError(t, err)
	c1, err := svc.CreateUnit(ctx, nil, org.UnitInput{ParentID: &p.ID, Name: "一县局", Code: "C1"})
	require.NoError(t, err)
	c2, err := svc.CreateUnit(ctx, nil, org.UnitInput{ParentID: &p.ID, Name: "二县局", Code: "C2"})
	require.NoError(t, err)
	return importEnv{svc: svc, ctx: ctx, scope: org.Scope{Paths: []string{c1.Path}}, c1: c1, c2: c2}
}

func (e importEnv) users(t *testing.T) []org.UserWithUnit {
	t.Helper()
	us, _, err := e.svc.ListUsers(e.ctx, org.Scope{Paths: []string{"/"}}, org.UserFilter{})
	require.NoError(t, err)
	return us
}

func (e importEnv) auditCount(t *testing.T, action string) int64 {
	t.Helper()
	_, n, err := e.svc.ListAudit(e.ctx, org.Scope{Paths: []string{"/"}}, org.AuditFilter{Action: action})
	require.NoError(t, err)
	return n
}

// importWorkbook returns an xlsx whose first sheet holds rows as text cells.
func importWorkbook(t testing.TB, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		for c, v := range row {
			if v == "" {
				continue
			}
			cell, err := excelize.CoordinatesToCellName(c+1, r+1)
			require.NoError(t, err)
			require.NoError(t, f.SetCellStr("Sheet1", cell, v))
		}
	}
	var buf bytes.Buffer
	_, err := f.WriteTo(&buf)
	require.NoError(t, err)
	return buf.Bytes()
}

// fillImportTemplate writes rows below the header of the template's first sheet.
func fillImportTemplate(t testing.TB, rows [][]string) []byte {
	t.Helper()
	tpl, err := org.UserImportTemplate()
	require.NoError(t, err)
	f, err := excelize.OpenReader(bytes.NewReader(tpl))
	require.NoError(t, err)
	defer f.Close()
	sheet := f.GetSheetList()[0]
	for r, row := range rows {
		for c, v := range row {
			cell, err := excelize.CoordinatesToCellName(c+1, r+2)
			require.NoError(t, err)
			require.NoError(t, f.SetCellStr(sheet, cell, v))
		}
	}
	var buf bytes.Buffer
	_, err = f.WriteTo(&buf)
	require.NoError(t, err)
	return buf.Bytes()
}

func requireImportFileError(t *testing.T, err error, code, message string) *skillarena.Error {
	t.Helper()
	require.Error(t, err)
	e, ok := err.(*skillarena.Error)
	require.True(t, ok, "want *skillarena.Error, got %T %v", err, err)
	assert.Equal(t, code, e.Code)
	assert.Equal(t, message, e.Message)
	return e
}

func TestImportUsers_WritesEveryRowWithItsAuditEntry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		e := newImportEnv(t, db, clock)
		file := importWorkbook(t, [][]string{
			{"用户名 username", "姓名 name", "工号 employee_no", "手机 phone", "单位代码 org_unit_code", "初始密码 password", "备注 remarks"},
			{"imp1", "导入一", "E001", "13800000001", "C1", "Secret123", "ignored"},
			{"imp2", "导入二", "", "", "C1", "Secret234", ""},
			{"imp3", "导入三", "007", "+86 138-0000-0003", "C1", "Secret345", ""},
		})
		res, err := e.svc.ImportUsers(e.ctx, e.scope, file, "用户.xlsx", false)
		require.NoError(t, err)
		assert.Empty(t, res.Errors)
		assert.Equal(t, 3, res.Imported)
		assert.Equal(t, []org.ImportedRow{
			{Row: 2, Username: "imp1", Name: "导入一", OrgUnitCode: "C1"},
			{Row: 3, Username: "imp2", Name: "导入二", OrgUnitCode: "C1"},
			{Row: 4, Username: "imp3", Name: "导入三", OrgUnitCode: "C1"},
		}, res.Rows)
		assert.Empty(t, res.Passwords, "only generated passwords are returned")

		us := e.users(t)
		require.Len(t, us, 3)
		assert.Equal(t, "007", us[2].EmployeeNo)
		assert.Equal(t, "+86 138-0000-0003", us[2].Phone)
		assert.Equal(t, e.c1.ID, us[0].OrgUnitID)
		assert.EqualValues(t, 3, e.auditCount(t, "user.create"))
		_, err = e.svc.Login(e.ctx, "imp2", "Secret234", "127.0.0.1")
		assert.NoError(t, err)
	})
}

func TestImportUsers_AllOrNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		e := newImportEnv(t, db, clock)
		file := importWorkbook(t, [][]string{
			importHeaderEN,
			{"ok1", "好一", "", "", "C1", "Secret123"},
			{"bad1", "坏一", "", "not a phone", "C1", "Secret123"},
			{"ok2", "好二", "", "", "C1", ""},
			{"bad2", "", "", "", "C1", "short1"},
		})
		res, err := e.svc.ImportUsers(e.ctx, e.scope, file, "users.xlsx", false)
		require.NoError(t, err)
		assert.Equal(t, []org.ImportError{
			{Row: 3, Column: "D", Field: "phone", Message: "user.phone_format"},
			{Row: 5, Column: "B", Field: "name", Message: "field.required"},
			{Row: 5, Column: "F", Field: "password", Message: "password.too_short"},
		}, res.Errors)
		assert.Zero(t, res.Imported)
		assert.Empty(t, res.Rows)
		assert.Empty(t, res.Passwords)
		assert.Empty(t, e.users(t), "one bad row: nothing written")
		assert.Zero(t, e.auditCount(t, "user.create"))
	})
}

func TestImportUsers_DryRunWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		e := newImportEnv(t, db, clock)
		file := importWorkbook(t, [][]string{importHeaderZH, {"dry1", "演练一", "", "", "C1", ""}, {"dry2", "演练二", "", "", "C1", "Secret123"}})
		res, err := e.svc.ImportUsers(e.ctx, e.scope, file, "users.xlsx", true)
		require.NoError(t, err)
		assert.Empty(t, res.Errors)
		assert.Equal(t, 2, res.Imported, "rows that would be written")
		assert.Len(t, res.Rows, 2)
		assert.Empty(t, res.Passwords, "no password is generated on a dry run")
		assert.Empty(t, e.users(t))
		assert.Zero(t, e.auditCount(t, "user.create"))
	})
}

func TestImportUsers_DuplicateUsernameInFile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		e := newImportEnv(t, db, clock)
		file := importWorkbook(t, [][]string{
			importHeaderEN,
			{"twin", "第一", "", "", "C1", ""},
			{"other", "其他", "", "", "C1", ""},
			{"twin", "第二", "", "", "C1", ""},
		})
		res, err := e.svc.ImportUsers(e.ctx, e.scope, file, "users.xlsx", false)
		require.NoError(t, err)
		assert.Equal(t, []org.ImportError{
			{Row: 4, Column: "A", Field: "username", Message: "import.duplicate_in_file", Args: map[string]any{"Row": 2}},
		}, res.Errors)
		assert.Empty(t, e.users(t))
	})
}

func TestImportUsers_ExistingUsernameRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		e := newImportEnv(t, db, clock)
		// Usernames are unique across the whole tree, so one in another
		// county is taken too.
		_, err := e.svc.CreateUser(e.ctx, nil, org.UserInput{Username: "taken", Name: "已有", OrgUnitID: e.c2.ID, Password: "Secret123"})
		require.NoError(t, err)
		file := importWorkbook(t, [][]string{importHeaderEN, {"fresh", "新人", "", "", "C1", ""}, {"taken", "重名", "", "", "C1", ""}})
		res, err := e.svc.ImportUsers(e.ctx, e.scope, file, "users.xlsx", false)
		require.NoError(t, err)
		assert.Equal(t, []org.ImportError{{Row: 3, Column: "A", Field: "username", Message: "user.username_taken"}}, res.Errors)
		assert.Len(t, e.users(t), 1)
	})
}

func TestImportUsers_UnitOutsideScopeReportedAsUnknown(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		e := newImportEnv(t, db, clock)
		file := importWorkbook(t, [][]string{
			importHeaderEN,
			{"in_scope", "本县", "", "", "C1", ""},
			{"other_county", "邻县", "", "", "C2", ""},
			{"no_such", "不存在", "", "", "NOPE", ""},
			{"province", "上级", "", "", "P", ""},
		})
		res, err := e.svc.ImportUsers(e.ctx, e.scope, file, "users.xlsx", false)
		require.NoError(t, err)
		unknown := func(row int) org.ImportError {
			return org.ImportError{Row: row, Column: "E", Field: "org_unit_code", Message: "org.unit.unknown"}
		}
		// The same answer for another county's code and a code that does not
		// exist, so the file cannot probe other counties.
		assert.Equal(t, []org.ImportError{unknown(3), unknown(4), unknown(5)}, res.Errors)
		assert.Empty(t, e.users(t))
	})
}

func TestImportUsers_GeneratedPasswordsReturnedAndUsable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		e := newImportEnv(t, db, clock)
		file := importWorkbook(t, [][]string{
			importHeaderZH,
			{"gen1", "生成一", "", "", "C1", ""},
			{"given", "自带", "", "", "C1", "Given1234"},
			{"gen2", "生成二", "", "", "C1", "  "},
		})
		res, err := e.svc.ImportUsers(e.ctx, e.scope, file, "users.xlsx", false)
		require.NoError(t, err)
		require.Empty(t, res.Errors)
		require.Len(t, res.Passwords, 2)
		assert.Equal(t, "gen1", res.Passwords[0].Username)
		assert.Equal(t, "gen2", res.Passwords[1].Username)
		assert.NotEqual(t, res.Passwords[0].Password, res.Passwords[1].Password)
		for _, p := range res.Passwords {
			assert.Empty(t, org.ValidatePassword(p.Password))
			_, err := e.svc.Login(e.ctx, p.Username, p.Password, "127.0.0.1")
			assert.NoError(t, err, "sign in as %s with the generated password", p.Username)
		}
		_, err = e.svc.Login(e.ctx, "given", "Given1234", "127.0.0.1")
		assert.NoError(t, err)
	})
}

func TestImportUsers_GB18030CSVWithChineseNames(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		e := newImportEnv(t, db, clock)
		text := "用户名,姓名,工号,手机,单位代码,初始密码\r\n" +
			"gb_a,张三,E01,13800000001,C1,Secret123\r\n" +
			"gb_b,欧阳娜娜,,,C1,Secret123\r\n"
		file, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(text))
		require.NoError(t, err)
		require.False(t, utf8.Valid(file), "the file must really be GB18030")
		res, err := e.svc.ImportUsers(e.ctx, e.scope, file, "用户.CSV", false)
		require.NoError(t, err)
		require.Empty(t, res.Errors)
		assert.Equal(t, 2, res.Imported)
		us := e.users(t)
		require.Len(t, us, 2)
		assert.Equal(t, "张三", us[0].Name)
		assert.Equal(t, "欧阳娜娜", us[1].Name)
	})
}

func TestImportUsers_UTF8BOMCSV(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		e := newImportEnv(t, db, clock)
		file := []byte("\xef\xbb\xbfUsername,Name,Org_Unit_Code\n" +
			"bom_a,李四,C1\n" +
			"\n" +
			",,\n" +
			"bom_b,\"王 五\",C1\n")
		res, err := e.svc.ImportUsers(e.ctx, e.scope, file, "users.csv", false)
		require.NoError(t, err)
		require.Empty(t, res.Errors)
		assert.Equal(t, 2, res.Imported)
		assert.Equal(t, 2, res.Skipped, "an empty line and a line of empty cells")
		assert.Equal(t, []org.ImportedRow{{Row: 2, Username: "bom_a", Name: "李四", OrgUnitCode: "C1"}, {Row: 5, Username: "bom_b", Name: "王 五", OrgUnitCode: "C1"}}, res.Rows)
		assert.Len(t, res.Passwords, 2)
	})
}

func TestImportUsers_CSVRowNumbersAreSpreadsheetRows(t *testing.T) {
	db := dbtest.SQLite(t, nil)
	e := newImportEnv(t, db, skillarena.NewFixedClock(dbtest.Clock))
	// A quoted line break stays inside one spreadsheet row.
	file := []byte("username,name,org_unit_code\n" +
		"row_2,甲,C1\n" +
		"\n" +
		"row_4,\"两行\n的名字\",C1\n" +
		"bad name!,乙,C1\n")
	res, err := e.svc.ImportUsers(e.ctx, e.scope, file, "users.csv", true)
	require.NoError(t, err)
	assert.Equal(t, []org.ImportError{{Row: 5, Column: "A", Field: "username", Message: "user.username_format"}}, res.Errors)
}

func TestImportUsers_FormulaCellRefused(t *testing.T) {
	db := dbtest.SQLite(t, nil)
	e := newImportEnv(t, db, skillarena.NewFixedClock(dbtest.Clock))

	t.Run("xlsx", func(t *testing.T) {
		f := excelize.NewFile()
		defer f.Close()
		for r, row := range [][]string{
			importHeaderEN,
			{"f_a", "公式", "", "", "C1", ""},
			{"f_b", "=1+1", "", "", "C1", ""}, // text that Excel would run
			{},                                // only a formula with no cached value
			{"f_d", "正常", "", "", "C1", ""},
		} {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				require.NoError(t, f.SetCellStr("Sheet1", cell, v))
			}
		}
		require.NoError(t, f.SetCellFormula("Sheet1", "D2", `"138"&"00000000"`))
		require.NoError(t, f.SetCellFormula("Sheet1", "B4", `CONCAT("a","b")`))
		var buf bytes.Buffer
		_, err := f.WriteTo(&buf)
		require.NoError(t, err)

		res, err := e.svc.ImportUsers(e.ctx, e.scope, buf.Bytes(), "users.xlsx", false)
		require.NoError(t, err)
		assert.Equal(t, []org.ImportError{
			{Row: 2, Column: "D", Field: "phone", Message: "import.formula_cell"},
			{Row: 3, Column: "B", Field: "name", Message: "import.formula_cell"},
			{Row: 4, Column: "B", Field: "name", Message: "import.formula_cell"},
		}, res.Errors)
	})
	t.Run("csv", func(t *testing.T) {
		file := []byte("username,name,org_unit_code\nf_e,\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",C1\n")
		res, err := e.svc.ImportUsers(e.ctx, e.scope, file, "users.csv", false)
		require.NoError(t, err)
		assert.Equal(t, []org.ImportError{{Row: 2, Column: "B", Field: "name", Message: "import.formula_cell"}}, res.Errors)
	})
	assert.Empty(t, e.users(t))
}

func TestImportUsers_FileRecognisedByContentNotName(t *testing.T) {
	db := dbtest.SQLite(t, nil)
	e := newImportEnv(t, db, skillarena.NewFixedClock(dbtest.Clock))
	xlsx := importWorkbook(t, [][]string{importHeaderEN, {"xx1", "甲", "", "", "C1", ""}})
	utf16 := []byte{0xff, 0xfe, 'u', 0, 's', 0, 'e', 0, 'r', 0}
	for _, tc := range []struct {
		name, filename string
		file           []byte
		message        string
	}{
		{"text named .xlsx", "users.xlsx", []byte("username,name,org_unit_code\nxx1,甲,C1\n"), "import.unsupported_file"},
		{"old Excel named .xlsx", "users.xlsx", append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, make([]byte, 512)...), "import.unsupported_file"},
		{"workbook named .csv", "users.csv", xlsx, "import.unsupported_file"},
		{"workbook named .xls", "users.xls", xlsx, "import.unsupported_file"},
		{"workbook without a name", "", xlsx, "import.unsupported_file"},
		{"UTF-16 text named .csv", "users.csv", utf16, "import.unsupported_file"},
		{"pdf", "users.pdf", []byte("%PDF-1.7\n"), "import.unsupported_file"},
		{"zip signature then garbage", "users.xlsx", []byte("PK\x03\x04 this is not a zip archive"), "import.corrupt_xlsx"},
		{"truncated workbook", "users.xlsx", xlsx[:len(xlsx)/2], "import.corrupt_xlsx"},
		{"zip without a workbook", "users.xlsx", importZip(t, map[string]string{"hello.txt": "hi"}), "import.corrupt_xlsx"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.ImportUsers(e.ctx, e.scope, tc.file, tc.filename, false)
			requireImportFileError(t, err, skillarena.EINVALID, tc.message)
		})
	}
	res, err := e.svc.ImportUsers(e.ctx, e.scope, xlsx, "USERS.XLSX", true)
	require.NoError(t, err, "the extension's case does not matter")
	assert.Equal(t, 1, res.Imported)
	assert.Empty(t, e.users(t))
}

func importZip(t *testing.T, files map[string]string) []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for name, body := range files {
		fw, err := w.Create(name)
		require.NoError(t, err)
		_, err = fw.Write([]byte(body))
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	return buf.Bytes()
}

func TestImportUsers_FileOver5MBRefused(t *testing.T) {
	db := dbtest.SQLite(t, nil)
	e := newImportEnv(t, db, skillarena.NewFixedClock(dbtest.Clock))
	file := bytes.Repeat([]byte("a"), org.MaxImportFileSize+1)
	_, err := e.svc.ImportUsers(e.ctx, e.scope, file, "users.csv", true)
	ae := requireImportFileError(t, err, skillarena.ETOOLARGE, "import.file_too_large")
	assert.Equal(t, map[string]any{"MaxMB": 5}, ae.Args)
}

// importBombSheet returns a worksheet part of copies MiB of identical rows under a
// header row, deflated, with its CRC and size. Each MiB is deflated once and
// repeated: a flushed deflate stream ends on a byte boundary and refers only to
// its own bytes, so copies of it concatenate into one valid stream.
func importBombSheet(t testing.TB, copies int) (deflated []byte, crc uint32, size uint64) {
	t.Helper()
	cell := func(v string) string { return `<c t="inlineStr"><is><t>` + v + `</t></is></c>` }
	head := []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row>` + cell("username") + cell("name") + cell("org_unit_code") + `</row>`)
	row := `<row>` + cell("bomb") + cell("炸弹") + cell("C1") + `</row>`
	chunk := bytes.Repeat([]byte(row), (1<<20)/len(row))
	tail := []byte(`</sheetData></worksheet>`)
	segment := func(b []byte, final bool) []byte {
		var out bytes.Buffer
		w, err := flate.NewWriter(&out, flate.BestCompression)
		require.NoError(t, err)
		_, err = w.Write(b)
		require.NoError(t, err)
		if final {
			require.NoError(t, w.Close())
		} else {
			require.NoError(t, w.Flush())
		}
		return out.Bytes()
	}
	var out bytes.Buffer
	h := crc32.NewIEEE()
	out.Write(segment(head, false))
	h.Write(head)
	body := segment(chunk, false)
	for range copies {
		out.Write(body)
		h.Write(chunk)
	}
	out.Write(segment(tail, true))
	h.Write(tail)
	return out.Bytes(), h.Sum32(), uint64(len(head) + copies*len(chunk) + len(tail))
}

// importWithSheet returns workbook with its first sheet replaced by a raw deflated
// part that declares the given unpacked size.
func importWithSheet(t testing.TB, workbook, deflated []byte, crc uint32, declared uint64) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(workbook), int64(len(workbook)))
	require.NoError(t, err)
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			require.NoError(t, w.Copy(f))
			continue
		}
		fw, err := w.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(len(deflated)), UncompressedSize64: declared})
		require.NoError(t, err)
		_, err = fw.Write(deflated)
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	return buf.Bytes()
}

func TestImportUsers_ZipBombRefusedQuickly(t *testing.T) {
	db := dbtest.SQLite(t, nil)
	e := newImportEnv(t, db, skillarena.NewFixedClock(dbtest.Clock))
	base := importWorkbook(t, [][]string{importHeaderEN})
	big, bigCRC, bigSize := importBombSheet(t, 200)
	fits, fitsCRC, fitsSize := importBombSheet(t, 40)
	for _, tc := range []struct {
		name    string
		file    []byte
		message string
	}{
		// Declares its 200 MB: refused from the archive's directory.
		{"200 MB sheet", importWithSheet(t, base, big, bigCRC, bigSize), "import.corrupt_xlsx"},
		// Claims 4 KB but inflates to 200 MB: unpacking stops at 4 KB.
		{"200 MB sheet claiming 4 KB", importWithSheet(t, base, big, bigCRC, 4096), "import.corrupt_xlsx"},
		// 40 MB is within the unzip limit: reading stops after the row limit.
		{"40 MB sheet of rows", importWithSheet(t, base, fits, fitsCRC, fitsSize), "import.too_many_rows"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Less(t, len(tc.file), org.MaxImportFileSize)
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := e.svc.ImportUsers(e.ctx, e.scope, tc.file, "bomb.xlsx", true)
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			requireImportFileError(t, err, skillarena.EINVALID, tc.message)
			heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
			total := after.TotalAlloc - before.TotalAlloc
			t.Logf("%s: %d KB file refused in %v; heap %+d KB, allocated %d KB", tc.name, len(tc.file)>>10, elapsed, heap>>10, total>>10)
			assert.Less(t, elapsed, 10*time.Second)
			assert.Less(t, total, uint64(100<<20), "allocation stays bounded")
		})
	}
}

func TestImportUsers_TooManyRowsRefused(t *testing.T) {
	workbook := func(t *testing.T, n int) []byte {
		f := excelize.NewFile()
		defer f.Close()
		sw, err := f.NewStreamWriter("Sheet1")
		require.NoError(t, err)
		require.NoError(t, sw.SetRow("A1", []any{"username", "name", "org_unit_code"}))
		for i := range n {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			require.NoError(t, sw.SetRow(cell, []any{fmt.Sprintf("many%05d", i), "多人", "C1"}))
		}
		require.NoError(t, sw.Flush())
		var buf bytes.Buffer
		_, err = f.WriteTo(&buf)
		require.NoError(t, err)
		return buf.Bytes()
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		e := newImportEnv(t, db, clock)
		_, err := e.svc.ImportUsers(e.ctx, e.scope, workbook(t, org.MaxImportRows+1), "users.xlsx", true)
		ae := requireImportFileError(t, err, skillarena.EINVALID, "import.too_many_rows")
		assert.Equal(t, map[string]any{"Max": 5000}, ae.Args)

		var text strings.Builder
		text.WriteString("username,name,org_unit_code\n")
		for i := range org.MaxImportRows + 1 {
			fmt.Fprintf(&text, "many%05d,多人,C1\n", i)
		}
		_, err = e.svc.ImportUsers(e.ctx, e.scope, []byte(text.String()), "users.csv", true)
		requireImportFileError(t, err, skillarena.EINVALID, "import.too_many_rows")

		res, err := e.svc.ImportUsers(e.ctx, e.scope, workbook(t, org.MaxImportRows), "users.xlsx", true)
		require.NoError(t, err, "exactly the limit is fine")
		assert.Empty(t, res.Errors)
		assert.Equal(t, org.MaxImportRows, res.Imported)
	})
}

func TestImportUsers_MissingRequiredColumnReportedOnHeaderRow(t *testing.T) {
	db := dbtest.SQLite(t, nil)
	e := newImportEnv(t, db, skillarena.NewFixedClock(dbtest.Clock))
	file := importWorkbook(t, [][]string{{"用户名", "姓名", "部门 department"}, {"m1", "甲", "运维"}})
	res, err := e.svc.ImportUsers(e.ctx, e.scope, file, "users.xlsx", false)
	require.NoError(t, err)
	assert.Equal(t, []org.ImportError{
		{Row: 1, Message: "import.missing_column", Args: map[string]any{"Column": "单位代码 org_unit_code"}},
	}, res.Errors)
}

func TestImportUsers_DuplicateColumnRefused(t *testing.T) {
	db := dbtest.SQLite(t, nil)
	e := newImportEnv(t, db, skillarena.NewFixedClock(dbtest.Clock))
	file := []byte("username,name,org_unit_code,用户名\nd1,甲,C1,d2\n")
	res, err := e.svc.ImportUsers(e.ctx, e.scope, file, "users.csv", false)
	require.NoError(t, err)
	assert.Equal(t, []org.ImportError{
		{Row: 1, Column: "D", Field: "用户名", Message: "import.duplicate_column", Args: map[string]any{"Column": "用户名"}},
	}, res.Errors)
}

func TestImportUsers_HeadersMatchInChineseOrEnglishAnyCase(t *testing.T) {
	db := dbtest.SQLite(t, nil)
	e := newImportEnv(t, db, skillarena.NewFixedClock(dbtest.Clock))
	// Headers in the order username, name, employee_no, phone, org_unit_code, password.
	for _, header := range [][]string{
		importHeaderEN,
		importHeaderZH,
		{" USERNAME ", "Name", "Employee_No", "PHONE", "Org_Unit_Code", "Password"},
		{"用户名 username", "姓名 name", "工号 employee_no", "手机 phone", "单位代码 org_unit_code", "初始密码 password"},
		{"*用户名/Username", "*姓名(Name)", "工号（employee no）", "手机 | phone", "*单位代码 Org Unit Code", "初始密码\nPassword"},
		{"用户名username", "姓名Name", "工号 Employee No.", "手机：phone", "单位代码-org-unit-code", "password 初始密码"},
	} {
		t.Run(strings.Join(header, ","), func(t *testing.T) {
			values := []string{"hdr_user", "标题", "E9", "13800000009", "C1", "Secret123"}
			for _, reverse := range []bool{false, true} {
				h, v := slices.Clone(header), slices.Clone(values)
				if reverse { // columns may come in any order
					slices.Reverse(h)
					slices.Reverse(v)
				}
				var file bytes.Buffer
				w := csv.NewWriter(&file)
				require.NoError(t, w.WriteAll([][]string{h, v}))
				res, err := e.svc.ImportUsers(e.ctx, e.scope, file.Bytes(), "users.csv", true)
				require.NoError(t, err)
				require.Empty(t, res.Errors)
				assert.Equal(t, []org.ImportedRow{{Row: 2, Username: "hdr_user", Name: "标题", OrgUnitCode: "C1"}}, res.Rows)
			}
		})
	}
}

func TestImportUsers_BlankRowsSkipped(t *testing.T) {
	db := dbtest.SQLite(t, nil)
	e := newImportEnv(t, db, skillarena.NewFixedClock(dbtest.Clock))
	file := importWorkbook(t, [][]string{
		importHeaderEN,
		{"blank_a", "甲", "", "", "C1", ""},
		{},
		{" ", "  ", "", "", "", ""},
		{"blank_b", "乙", "", "", "C1", ""},
		{"", "", "", "", "", "", "a note beside the table"},
	})
	res, err := e.svc.ImportUsers(e.ctx, e.scope, file, "users.xlsx", true)
	require.NoError(t, err)
	require.Empty(t, res.Errors)
	assert.Equal(t, 2, res.Skipped)
	assert.Equal(t, []int{2, 5}, []int{res.Rows[0].Row, res.Rows[1].Row})
}

func TestImportUsers_FileWithoutUsersRefused(t *testing.T) {
	db := dbtest.SQLite(t, nil)
	e := newImportEnv(t, db, skillarena.NewFixedClock(dbtest.Clock))
	empty, err := org.UserImportTemplate()
	require.NoError(t, err)
	for name, tc := range map[string]struct {
		file     []byte
		filename string
	}{
		"empty csv":         {nil, "users.csv"},
		"header only":       {[]byte("username,name,org_unit_code\n,,\n"), "users.csv"},
		"unfilled template": {empty, "模板.xlsx"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := e.svc.ImportUsers(e.ctx, e.scope, tc.file, tc.filename, false)
			requireImportFileError(t, err, skillarena.EINVALID, "import.empty_file")
		})
	}
}

func TestUserImportTemplate_FilledFirstSheetImports(t *testing.T) {
	tpl, err := org.UserImportTemplate()
	require.NoError(t, err)
	f, err := excelize.OpenReader(bytes.NewReader(tpl))
	require.NoError(t, err)
	assert.Equal(t, []string{"用户 Users", "示例 Examples", "说明 Instructions"}, f.GetSheetList())
	header, err := f.GetRows("用户 Users")
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"用户名 username", "姓名 name", "工号 employee_no", "手机 phone", "单位代码 org_unit_code", "初始密码 password"}}, header,
		"the first sheet is the header alone: data starts at row 2")
	examples, err := f.GetRows("示例 Examples")
	require.NoError(t, err)
	assert.Len(t, examples, 4)
	help, err := f.GetRows("说明 Instructions")
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(help), 7)
	width, err := f.GetColWidth("用户 Users", "E")
	require.NoError(t, err)
	assert.Greater(t, width, 10.0)
	require.NoError(t, f.Close())

	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		e := newImportEnv(t, db, clock)
		file := fillImportTemplate(t, [][]string{
			{"tpl_a", "模板甲", "00012", "13800000001", "C1", "Secret123"},
			{"tpl_b", "模板乙", "", "", "C1", ""},
			{"tpl_c", "模板丙", "", "", "C1", ""},
		})
		res, err := e.svc.ImportUsers(e.ctx, e.scope, file, "用户导入模板.xlsx", false)
		require.NoError(t, err)
		require.Empty(t, res.Errors)
		assert.Equal(t, 3, res.Imported)
		assert.Len(t, res.Passwords, 2)
		us := e.users(t)
		require.Len(t, us, 3, "the example sheet is not imported")
		assert.Equal(t, "00012", us[0].EmployeeNo, "text cells keep leading zeros")
	})
}

// TestUserImportFixture checks the browser tests' fixture: three users of unit
// C1 with password Import123, in the template's layout.
func TestUserImportFixture(t *testing.T) {
	if *updateImportFixture {
		file := fillImportTemplate(t, [][]string{
			{"imp_a", "导入甲", "", "", "C1", "Import123"},
			{"imp_b", "导入乙", "", "", "C1", "Import123"},
			{"imp_c", "导入丙", "", "", "C1", "Import123"},
		})
		require.NoError(t, os.MkdirAll(filepath.Dir(importFixturePath), 0o755))
		require.NoError(t, os.WriteFile(importFixturePath, file, 0o644))
	}
	file, err := os.ReadFile(importFixturePath)
	require.NoError(t, err, "run with -update-import-fixture to create it")
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		e := newImportEnv(t, db, clock)
		res, err := e.svc.ImportUsers(e.ctx, e.scope, file, filepath.Base(importFixturePath), false)
		require.NoError(t, err)
		require.Empty(t, res.Errors)
		assert.Equal(t, []org.ImportedRow{
			{Row: 2, Username: "imp_a", Name: "导入甲", OrgUnitCode: "C1"},
			{Row: 3, Username: "imp_b", Name: "导入乙", OrgUnitCode: "C1"},
			{Row: 4, Username: "imp_c", Name: "导入丙", OrgUnitCode: "C1"},
		}, res.Rows)
		assert.Empty(t, res.Passwords)
		_, err = e.svc.Login(e.ctx, "imp_c", "Import123", "127.0.0.1")
		assert.NoError(t, err)
	})
}
