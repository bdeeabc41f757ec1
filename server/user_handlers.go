package server

import (
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillarena"
	"skillarena/org"
)

// userJSON is a user as the API shows it; never the password hash.
type userJSON struct {
	ID          int64     `json:"id"`
	Username    string    `json:"username"`
	Name        string    `json:"name"`
	EmployeeNo  string    `json:"employee_no"`
	Phone       string    `json:"phone"`
	OrgUnitID   int64     `json:"org_unit_id"`
	OrgUnitName string    `json:"org_unit_name"`
	Active      bool      `json:"active"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func toUserJSON(u org.User, unitName string) userJSON {
	return userJSON{ID: u.ID, Username: u.Username, Name: u.Name, EmployeeNo: u.EmployeeNo, Phone: u.Phone,
		OrgUnitID: u.OrgUnitID, OrgUnitName: unitName, Active: u.Active, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
}

func (s *Server) listUsers(c *gin.Context) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	unitID, err := queryID(c, "org_unit_id")
	if err != nil {
		return err
	}
	active, err := queryBool(c, "active")
	if err != nil {
		return err
	}
	users, total, err := s.org.ListUsers(c.Request.Context(), scope(c), org.UserFilter{OrgUnitID: unitID, Query: c.Query("q"), Active: active, Page: p})
	if err != nil {
		return err
	}
	out := make([]userJSON, 0, len(users))
	for _, u := range users {
		out = append(out, toUserJSON(u.User, u.OrgUnitName))
	}
	c.JSON(http.StatusOK, newList(out, total))
	return nil
}

func (s *Server) getUser(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u, err := s.org.User(c.Request.Context(), scope(c), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toUserJSON(u.User, u.OrgUnitName))
	return nil
}

type createUserRequest struct {
	Username   string `json:"username" binding:"required,max=64"`
	Name       string `json:"name" binding:"required,max=100"`
	EmployeeNo string `json:"employee_no" binding:"max=32"`
	Phone      string `json:"phone" binding:"max=32"`
	OrgUnitID  int64  `json:"org_unit_id" binding:"required"`
	Password   string `json:"password" binding:"required,max=128"`
}

func (s *Server) createUser(c *gin.Context) error {
	var req createUserRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	sc := scope(c)
	ctx := c.Request.Context()
	u, err := s.org.CreateUser(ctx, &sc, org.UserInput{Username: req.Username, Name: req.Name, EmployeeNo: req.EmployeeNo,
		Phone: req.Phone, OrgUnitID: req.OrgUnitID, Password: req.Password})
	if err != nil {
		return err
	}
	full, err := s.org.User(ctx, sc, u.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, toUserJSON(full.User, full.OrgUnitName))
	return nil
}

type updateUserRequest struct {
	Name       *string `json:"name" binding:"omitempty,max=100"`
	EmployeeNo *string `json:"employee_no" binding:"omitempty,max=32"`
	Phone      *string `json:"phone" binding:"omitempty,max=32"`
	OrgUnitID  *int64  `json:"org_unit_id"`
	Active     *bool   `json:"active"`
}

func (s *Server) updateUser(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req updateUserRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	sc := scope(c)
	ctx := c.Request.Context()
	if _, err := s.org.UpdateUser(ctx, sc, id, org.UserPatch{Name: req.Name, EmployeeNo: req.EmployeeNo, Phone: req.Phone,
		OrgUnitID: req.OrgUnitID, Active: req.Active}); err != nil {
		return err
	}
	full, err := s.org.User(ctx, sc, id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toUserJSON(full.User, full.OrgUnitName))
	return nil
}

type resetPasswordRequest struct {
	NewPassword string `json:"new_password" binding:"required,max=128"`
}

func (s *Server) resetPassword(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req resetPasswordRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if err := s.org.ResetPassword(c.Request.Context(), scope(c), id, req.NewPassword); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// readUpload returns the bytes and name of the multipart field "file".
func readUpload(c *gin.Context) ([]byte, string, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, "", skillarena.NewError(skillarena.ETOOLARGE, "error.body_too_large", map[string]any{"Limit": tooLarge.Limit})
		}
		return nil, "", skillarena.Invalid(map[string]string{"file": "field.file_required"})
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, "", err
	}
	return data, fh.Filename, nil
}

type importErrorJSON struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

type importRowJSON struct {
	Row         int    `json:"row"`
	Username    string `json:"username"`
	Name        string `json:"name"`
	OrgUnitCode string `json:"org_unit_code"`
}

type generatedPasswordJSON struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (s *Server) importUsers(c *gin.Context) error {
	dryRun, err := queryBool(c, "dry_run")
	if err != nil {
		return err
	}
	data, name, err := readUpload(c)
	if err != nil {
		return err
	}
	res, err := s.org.ImportUsers(c.Request.Context(), scope(c), data, name, dryRun == nil || *dryRun)
	if err != nil {
		return err
	}
	lang := pickLang(c.GetHeader("Accept-Language"))
	out := struct {
		Imported  int                     `json:"imported"`
		Skipped   int                     `json:"skipped"`
		Errors    []importErrorJSON       `json:"errors"`
		Rows      []importRowJSON         `json:"rows"`
		Passwords []generatedPasswordJSON `json:"passwords"`
	}{Imported: res.Imported, Skipped: res.Skipped, Errors: []importErrorJSON{}, Rows: []importRowJSON{}, Passwords: []generatedPasswordJSON{}}
	for _, e := range res.Errors {
		out.Errors = append(out.Errors, importErrorJSON{Row: e.Row, Column: e.Column, Field: e.Field, Message: s.tr.T(lang, e.Message, e.Args)})
	}
	for _, r := range res.Rows {
		out.Rows = append(out.Rows, importRowJSON{Row: r.Row, Username: r.Username, Name: r.Name, OrgUnitCode: r.OrgUnitCode})
	}
	for _, p := range res.Passwords {
		out.Passwords = append(out.Passwords, generatedPasswordJSON{Username: p.Username, Password: p.Password})
	}
	c.JSON(http.StatusOK, out)
	return nil
}

func (s *Server) userImportTemplate(c *gin.Context) error {
	data, err := org.UserImportTemplate()
	if err != nil {
		return err
	}
	c.Header("Content-Disposition", `attachment; filename="users-template.xlsx"; filename*=UTF-8''%E7%94%A8%E6%88%B7%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx`)
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data)
	return nil
}
