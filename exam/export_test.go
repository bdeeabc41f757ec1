package exam

import "time"

// HoldSaves makes every save writer look busy, so that saves queue; queued
// tells how many wait, and release lets one writer take them all.
func (s *Service) HoldSaves() (queued func() int, release func()) { return hold(&s.saves.batcher) }

// HoldStarts is HoldSaves for starts.
func (s *Service) HoldStarts() (queued func() int, release func()) { return hold(&s.starts.batcher) }

func hold[C any](b *batcher[C]) (queued func() int, release func()) {
	// A writer that has just finished an earlier call may still be running:
	// it would take the calls meant to queue. Wait until none is.
	for {
		b.mu.Lock()
		if b.running == 0 {
			b.running = b.writers
			b.mu.Unlock()
			break
		}
		b.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	queued = func() int {
		b.mu.Lock()
		defer b.mu.Unlock()
		return len(b.pending)
	}
	release = func() {
		b.mu.Lock()
		b.running = 1
		b.mu.Unlock()
		go b.write()
	}
	return queued, release
}

// BatchedStarts counts the starts committed together with others.
func (s *Service) BatchedStarts() int64 { return s.starts.batched.Load() }

// SaveBatches counts the batches written at once (every save passed its
// conditions) and those checked save by save against locked rows.
func (s *Service) SaveBatches() (atOnce, checked int64) {
	return s.saves.atOnce.Load(), s.saves.checked.Load()
}

// BatchedSaves counts the saves committed together with others.
func (s *Service) BatchedSaves() int64 { return s.saves.batched.Load() }

// BeforeStartWrite runs f in every start between its read and its write.
func (s *Service) BeforeStartWrite(f func()) { s.beforeStartWrite = f }

// ExamColumns are the columns a start reads an exam by.
const ExamColumns = examColumns
