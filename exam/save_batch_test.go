package exam

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/database/dbtest"
)

// While a writer is busy, the saves that arrive queue and commit together;
// every one gets its own outcome.
func TestSaveBatcher_SavesArrivingTogetherCommitTogether(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		require.NoError(t, db.Exec("CREATE TABLE batch_probe (id INT PRIMARY KEY, v INT NOT NULL)").Error)
		for i := 1; i <= 40; i++ {
			require.NoError(t, db.Exec("INSERT INTO batch_probe (id, v) VALUES (?, 0)", i).Error)
		}
		b := newSaveBatcher(db.Session(&gorm.Session{PrepareStmt: true}))
		b.running = b.writers // every writer busy: the saves queue
		var wg sync.WaitGroup
		applied := make([]bool, 81)
		for i := 1; i <= 80; i++ { // ids 41–80 do not exist: not applied
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := b.run(context.Background(), &saveCall{attemptID: int64(i), query: "UPDATE batch_probe SET v = ? WHERE id = ?", args: []any{i, i}})
				assert.NoError(t, err)
				applied[i] = ok
			}()
		}
		require.Eventually(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return len(b.pending) == 80 }, 5*time.Second, time.Millisecond)
		b.mu.Lock()
		b.running = 1 // one writer frees up and takes the queue
		b.mu.Unlock()
		go b.write()
		wg.Wait()
		for i := 1; i <= 80; i++ {
			assert.Equal(t, i <= 40, applied[i], "id %d", i)
		}
		var sum int
		require.NoError(t, db.Raw("SELECT SUM(v) FROM batch_probe").Scan(&sum).Error)
		assert.Equal(t, 40*41/2, sum)
		assert.EqualValues(t, 80, b.batched.Load(), "the queued saves shared transactions")
	})
}
