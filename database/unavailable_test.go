package database_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"gorm.io/gorm"

	"skillarena/database"
)

// A database that cannot be reached is told apart from a fault in the
// request, so the server answers 503 and clients retry.
func TestUnavailable_ConnectionFailuresButNotRequestFaults(t *testing.T) {
	u, err := database.ParseURL("mysql://root@tcp(127.0.0.1:1)/nothing")
	if err != nil {
		t.Fatal(err)
	}
	db, err := database.Open(context.Background(), u, database.Options{})
	if err == nil {
		err = db.Exec("SELECT 1").Error
	}
	assert.True(t, database.Unavailable(err), "a refused connection: %v", err)
	assert.True(t, database.Unavailable(fmt.Errorf("save: %w", &mysql.MySQLError{Number: 1213})), "a deadlock is retried")
	assert.False(t, database.Unavailable(gorm.ErrRecordNotFound))
	assert.False(t, database.Unavailable(&mysql.MySQLError{Number: 1062}), "a duplicate key is the request's fault")
	assert.False(t, database.Unavailable(errors.New("boom")))
	assert.False(t, database.Unavailable(nil))
}
