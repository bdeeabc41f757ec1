package database

import (
	"database/sql/driver"
	"errors"
	"net"
	"syscall"

	"github.com/go-sql-driver/mysql"
)

// Unavailable reports whether err says the database cannot be reached right
// now (refused or dropped connection, server shutting down, too many
// connections, a lock wait timed out), as opposed to a fault in the request:
// the client should retry shortly, and the server answers 503 with
// Retry-After instead of an internal error.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var opErr *net.OpError
	var myErr *mysql.MySQLError
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, mysql.ErrInvalidConn),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.As(err, &opErr):
		return true
	case errors.As(err, &myErr):
		switch myErr.Number {
		case 1040, // too many connections
			1053,       // server shutdown in progress
			1205,       // lock wait timeout
			1213,       // deadlock: the transaction was rolled back, retrying is right
			2006, 2013: // server gone away, lost connection
			return true
		}
	}
	return false
}
