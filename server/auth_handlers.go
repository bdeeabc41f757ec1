package server

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillarena"
	"skillarena/org"
)

type loginRequest struct {
	Username string `json:"username" binding:"required,max=64"`
	Password string `json:"password" binding:"required,max=128"`
}

// meResponse is the signed-in user with their grants.
type meResponse struct {
	ID          int64      `json:"id"`
	Username    string     `json:"username"`
	Name        string     `json:"name"`
	OrgUnitID   int64      `json:"org_unit_id"`
	OrgUnitName string     `json:"org_unit_name"`
	Grants      []meGrant  `json:"grants"`
	Roles       []org.Role `json:"roles"`
	PasswordAge *time.Time `json:"password_changed_at"`
}

type meGrant struct {
	ID          int64    `json:"id"`
	Role        org.Role `json:"role"`
	OrgUnitID   int64    `json:"org_unit_id"`
	OrgUnitName string   `json:"org_unit_name"`
}

// login checks the password, then renews the session token (so a token
// planted before sign-in is worthless) and records who signed in.
func (s *Server) login(c *gin.Context) error {
	if err := s.rateLimitLogin(c); err != nil {
		return err
	}
	var req loginRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request.Context()
	u, err := s.org.Login(ctx, req.Username, req.Password, clientIP(c))
	if err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessUserID, u.ID)
	s.sessions.Put(ctx, sessEpoch, u.SessionEpoch)
	s.sessions.Put(ctx, sessLoginAt, s.clock.Now().Unix())
	s.sessions.Put(ctx, sessLastSeen, s.clock.Now().Unix())
	me, err := s.meOf(c, u)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"user": me})
	return nil
}

// logout ends the session, if there is one; it answers 204 either way so a
// client can always call it.
func (s *Server) logout(c *gin.Context) error {
	if err := s.sessions.Destroy(c.Request.Context()); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

func (s *Server) me(c *gin.Context) error {
	me, err := s.meOf(c, user(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, me)
	return nil
}

func (s *Server) meOf(c *gin.Context, u org.User) (meResponse, error) {
	ctx := c.Request.Context()
	grants, err := s.org.UserGrants(ctx, u.ID)
	if err != nil {
		return meResponse{}, err
	}
	unit, err := s.org.Unit(ctx, org.Everything, u.OrgUnitID)
	if err != nil {
		return meResponse{}, err
	}
	me := meResponse{ID: u.ID, Username: u.Username, Name: u.Name, OrgUnitID: u.OrgUnitID, OrgUnitName: unit.Name,
		Grants: []meGrant{}, Roles: []org.Role{}, PasswordAge: u.PasswordChangedAt}
	seen := map[org.Role]bool{}
	for _, g := range grants {
		me.Grants = append(me.Grants, meGrant{ID: g.ID, Role: g.Role, OrgUnitID: g.OrgUnitID, OrgUnitName: g.OrgUnitName})
		if !seen[g.Role] {
			seen[g.Role] = true
			me.Roles = append(me.Roles, g.Role)
		}
	}
	return me, nil
}

type changePasswordRequest struct {
	OldPassword string `json:"old_password" binding:"required,max=128"`
	NewPassword string `json:"new_password" binding:"required,max=128"`
}

// changePassword changes the caller's password; every other session of theirs
// ends, and this one continues under a new token.
func (s *Server) changePassword(c *gin.Context) error {
	var req changePasswordRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request.Context()
	u := user(c)
	if err := s.org.ChangePassword(ctx, u.ID, req.OldPassword, req.NewPassword); err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessEpoch, u.SessionEpoch+1)
	c.Status(http.StatusNoContent)
	return nil
}

// crossOriginDenied answers a refused cross-site state-changing request.
func (s *Server) crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	status, body, _ := s.errorResponse(r, skillarena.NewError(skillarena.EFORBIDDEN, "error.cross_origin", nil))
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}
